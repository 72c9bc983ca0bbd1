import { createHash, randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface OpaqueToken {
  /** What the holder gets: `<owner id>.<256 random bits>`. */
  token: string;
  /** What the database keeps: the SHA-256 of the whole token. */
  hash: string;
}

/**
 * Bearer secrets such as refresh tokens, invite links and emailed confirmations. The owner id in
 * front tells the server whose row-level-security context to look in; without the random part it is
 * worthless, and the database holds only hashes, so a leaked table grants nothing.
 */
export function createOpaqueToken(ownerId: string): OpaqueToken {
  const token = `${ownerId}.${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The owner id and hash of a well-formed token; undefined for anything else. */
export function readOpaqueToken(token: string): { ownerId: string; hash: string } | undefined {
  const [ownerId, secret, ...rest] = token.split('.');
  if (!ownerId || !UUID.test(ownerId) || !secret || secret.length !== 43 || rest.length > 0) return undefined;
  return { ownerId, hash: hashToken(token) };
}
