import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseReport, type TrainingReport } from './artifacts';

/**
 * The backtest of the model the repository ships, which serves while nothing is active: the baseline a
 * first registered model must beat. The newest version counts, as in ml-service (natural order).
 */
export async function shippedReport(shippedDirectory: string, name: string): Promise<TrainingReport | undefined> {
  const directory = path.join(shippedDirectory, name);
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const newest = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
  if (!newest) return undefined;
  const file = path.join(directory, newest, 'report.json');
  return parseReport(await readFile(file), file);
}
