export { convertMinor, fromMajorUnits, fromMinor, InvalidAmount, minorDigits, splitEvenly, toMajorUnits, toMinor } from './money';
