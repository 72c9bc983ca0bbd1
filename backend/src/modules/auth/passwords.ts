import argon2 from 'argon2';

// OWASP's argon2id baseline: 19 MiB, two passes, one lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/**
 * Checks a password against its hash. Without a hash (unknown account) it verifies against a fixed
 * dummy hash, so the answer takes as long as a wrong password does and reveals nothing.
 */
export class PasswordVerifier {
  private constructor(private readonly dummyHash: string) {}

  static async create(): Promise<PasswordVerifier> {
    return new PasswordVerifier(await hashPassword('not-a-real-password-but-equally-expensive'));
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? this.dummyHash, password);
    return hash !== undefined && matches;
  }
}
