export { PeriodicChore } from './periodic-chore';
