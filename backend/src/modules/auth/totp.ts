import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

const ISSUER = 'Spendcast';
// One step either side absorbs clock drift between phone and server.
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function otpauthUri(secret: string, accountName: string): string {
  return generateURI({ issuer: ISSUER, label: accountName, secret });
}

/** The time step the code belongs to, if it is valid now and newer than `afterStep`. */
export async function acceptedStep(secret: string, code: string, afterStep: number | undefined): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, afterTimeStep: afterStep });
  // The union also covers HOTP results, which carry no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Ten codes like `k3v9-x2m4-q8ta`, each standing in for the authenticator once. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
    return `${characters.slice(0, 4)}-${characters.slice(4, 8)}-${characters.slice(8, 12)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}
