import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobInfo, type BlobStore } from './blob-store.port';

/**
 * The embedded default: objects as files under `<root>/objects`, their content type beside them
 * under `<root>/meta`. Writes go to a temporary file first and are renamed into place.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const target = this.objectPath(key);
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(path.dirname(this.metaPath(key)), { recursive: true });
    const staging = path.join(this.root, 'staging');
    await mkdir(staging, { recursive: true });
    const temporary = path.join(staging, randomUUID());
    let metaPlaced = false;
    try {
      await writeFile(temporary, body);
      await writeFile(`${temporary}.json`, JSON.stringify({ contentType }));
      await rename(`${temporary}.json`, this.metaPath(key));
      metaPlaced = true;
      await rename(temporary, target);
    } catch (error) {
      // The object was not written (e.g. its path is a directory): its content type must not stay behind.
      if (metaPlaced && !(await this.stat(key).catch(() => undefined))) await rm(this.metaPath(key), { force: true });
      throw error;
    } finally {
      await rm(temporary, { force: true });
      await rm(`${temporary}.json`, { force: true });
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readFile(this.objectPath(key)).catch(missingAsUndefined);
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    const info = await stat(this.objectPath(key)).catch(missingAsUndefined);
    // A directory is only the prefix of other keys, not an object.
    if (!info?.isFile()) return undefined;
    const meta = await readFile(this.metaPath(key), 'utf8').catch(missingAsUndefined);
    const contentType = meta ? (JSON.parse(meta) as { contentType: string }).contentType : 'application/octet-stream';
    return { size: info.size, contentType };
  }

  async delete(key: string): Promise<void> {
    // Only files are objects; a directory at the path is merely the prefix of other keys.
    for (const file of [this.objectPath(key), this.metaPath(key)]) {
      const info = await stat(file).catch(missingAsUndefined);
      if (info?.isFile()) await rm(file, { force: true });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const objects = path.join(this.root, 'objects');
    const entries = await readdir(objects, { recursive: true, withFileTypes: true }).catch(missingAsUndefined);
    return (entries ?? [])
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(objects, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  private objectPath(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, 'objects', key);
  }

  private metaPath(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, 'meta', `${key}.json`);
  }
}

/** No such object: nothing at the path, a file where a parent directory would be, or a directory (a mere prefix). */
function missingAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return undefined;
  throw error;
}
