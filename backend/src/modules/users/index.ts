import { CreateUsers1795561260000 } from './migrations/1795561260000-CreateUsers';
import { AccountDeletionRequestEntity, IdentityEntity, UserEntity } from './users.entity';

export { AccountDeletionRequestEntity, IdentityEntity, THEMES, UserEntity, type Theme } from './users.entity';
export { UsersRepository } from './users.repository';
export { registerUsersRoutes } from './users.routes';
export { UsersService, type GroupMemberships, type NewAccount, type Profile, type StartingCategories } from './users.service';
export const usersEntities = [UserEntity, IdentityEntity, AccountDeletionRequestEntity];
export const usersMigrations = [CreateUsers1795561260000];
