import { loadSecretsKey, loadSigningKey, type SigningKey } from './keys';
import { PasswordVerifier } from './passwords';

/** What sign-in needs prepared before serving: keys (configured or kept under DATA_DIR/keys) and the password verifier. */
export interface AuthMaterial {
  signingKey: SigningKey;
  secretsKey: Buffer;
  passwords: PasswordVerifier;
}

export async function prepareAuthMaterial(options: { jwtPrivateKey?: string; secretsKey?: string; keysDirectory: string }): Promise<AuthMaterial> {
  const [signingKey, secretsKey, passwords] = await Promise.all([
    loadSigningKey(options.jwtPrivateKey, options.keysDirectory),
    loadSecretsKey(options.secretsKey, options.keysDirectory),
    PasswordVerifier.create(),
  ]);
  return { signingKey, secretsKey, passwords };
}
