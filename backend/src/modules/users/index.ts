import { CreateUsers1795561260000 } from './migrations/1795561260000-CreateUsers';
import { UserEntity } from './users.entity';

export { UserEntity };
export const usersEntities = [UserEntity];
export const usersMigrations = [CreateUsers1795561260000];
