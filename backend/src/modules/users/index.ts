import { CreateUsers1795561260000 } from './migrations/1795561260000-CreateUsers';
import { AccountDeletionRequestEntity, IdentityEntity, UserEntity } from './users.entity';

export { AccountDeletionRequestEntity, IdentityEntity, THEMES, UserEntity, type Theme } from './users.entity';
export const usersEntities = [UserEntity, IdentityEntity, AccountDeletionRequestEntity];
export const usersMigrations = [CreateUsers1795561260000];
