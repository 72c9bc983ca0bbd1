import { GroupEntity, InviteEntity, MembershipEntity } from './groups.entity';
import { CreateGroups1795561380000 } from './migrations/1795561380000-CreateGroups';

export { GROUP_ROLES, GroupEntity, InviteEntity, MembershipEntity, type GroupRole } from './groups.entity';
export const groupsEntities = [GroupEntity, MembershipEntity, InviteEntity];
export const groupsMigrations = [CreateGroups1795561380000];
