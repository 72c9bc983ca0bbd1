import { PasswordCredentialEntity, RecoveryCodeEntity, RefreshTokenEntity, TotpCredentialEntity } from './auth.entity';
import { CreateAuth1795561320000 } from './migrations/1795561320000-CreateAuth';

export { loginLimits } from './auth.limits';
export { AuthRepository } from './auth.repository';
export { registerAuthRoutes } from './auth.routes';
export { AuthService, type ExternalIdentity, type SignInResult, type TokenPair } from './auth.service';
export { bearerAuthenticator } from './authenticator';
export { prepareAuthMaterial, type AuthMaterial } from './material';
export { createExternalSignIn } from './oauth/external-sign-in';
export { registerOAuthRoutes } from './oauth/oauth.routes';
export { PasswordVerifier } from './passwords';
export { SecretBox } from './secret-box';
export { AccessTokens, type VerifiedAccess } from './tokens';
export const authEntities = [PasswordCredentialEntity, TotpCredentialEntity, RecoveryCodeEntity, RefreshTokenEntity];
export const authMigrations = [CreateAuth1795561320000];
