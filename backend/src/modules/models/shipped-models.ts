import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface ShippedModel {
  version: string;
  /** The model directory as the trainer wrote it. */
  directory: string;
}

/**
 * The model the repository ships, which serves while nothing is active: the incumbent a first
 * registered model must beat. The newest version counts, as in ml-service (natural order).
 */
export async function shippedModel(shippedDirectory: string, name: string): Promise<ShippedModel | undefined> {
  const directory = path.join(shippedDirectory, name);
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const newest = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
  return newest === undefined ? undefined : { version: newest, directory: path.join(directory, newest) };
}
