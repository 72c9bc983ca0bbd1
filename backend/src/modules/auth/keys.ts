import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey } from 'jose';

export interface SigningKey {
  privateKey: CryptoKey;
  /** Public half as a JWK with `kid`, `alg` and `use`, as /.well-known/jwks.json publishes it. */
  publicJwk: Record<string, unknown>;
}

async function readOrCreate(file: string, create: () => Promise<string>): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const value = await create();
    await writeFile(file, value, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return value;
  }
}

/** The token-signing key: from configuration in production, generated once and kept under DATA_DIR/keys otherwise. */
export async function loadSigningKey(configured: string | undefined, keysDirectory: string): Promise<SigningKey> {
  const pem =
    configured ??
    (await readOrCreate(path.join(keysDirectory, 'jwt-ed25519.pem'), async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      return exportPKCS8(privateKey);
    }));
  const privateKey = await importPKCS8(pem, 'EdDSA', { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = Buffer.from(String(publicJwk.x)).toString('base64url').slice(0, 16);
  return { privateKey, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' } };
}

/** The key that encrypts secrets at rest (TOTP seeds). */
export async function loadSecretsKey(configured: string | undefined, keysDirectory: string): Promise<Buffer> {
  const encoded = configured ?? (await readOrCreate(path.join(keysDirectory, 'secrets.key'), async () => randomBytes(32).toString('base64')));
  return Buffer.from(encoded.trim(), 'base64');
}
