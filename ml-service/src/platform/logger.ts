import pino from 'pino';

export type Logger = pino.Logger;

/** Logs JSON lines to stdout, or to `destination` (tests read what was logged). */
export function createLogger(level: pino.LevelWithSilent, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'spendcast-ml' } }, destination);
}
