const UNIQUE_VIOLATION = '23505';

/** True when the error is PostgreSQL refusing a duplicate for the named unique index or constraint. */
export function violatesUnique(error: unknown, constraint: string): boolean {
  const cause = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = cause.driverError ?? cause;
  return driver.code === UNIQUE_VIOLATION && driver.constraint === constraint;
}
