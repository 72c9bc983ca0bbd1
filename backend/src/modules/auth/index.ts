import { PasswordCredentialEntity, RecoveryCodeEntity, RefreshTokenEntity, TotpCredentialEntity } from './auth.entity';
import { CreateAuth1795561320000 } from './migrations/1795561320000-CreateAuth';

export const authEntities = [PasswordCredentialEntity, TotpCredentialEntity, RecoveryCodeEntity, RefreshTokenEntity];
export const authMigrations = [CreateAuth1795561320000];
