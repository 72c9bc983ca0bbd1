export { convertMinor, fromMinor, InvalidAmount, minorDigits, splitEvenly, toMinor } from './money';
