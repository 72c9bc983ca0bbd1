export { convertMinor, fromMinor, minorDigits, splitEvenly, toMinor } from './money';
