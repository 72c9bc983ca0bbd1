import { GroupEntity, InviteEntity, MembershipEntity } from './groups.entity';
import { CreateGroups1795561380000 } from './migrations/1795561380000-CreateGroups';
import { GroupMemberProfiles1795561700000 } from './migrations/1795561700000-GroupMemberProfiles';
import { GroupTimeZone1795561880000 } from './migrations/1795561880000-GroupTimeZone';

export { GROUP_ROLES, GroupEntity, InviteEntity, MembershipEntity, type GroupRole } from './groups.entity';
export { GroupNotFound, NotGroupAdmin } from './groups.errors';
export { GroupsRepository } from './groups.repository';
export { registerGroupsRoutes } from './groups.routes';
export { GroupsService, type GroupStartingCategories } from './groups.service';
export const groupsEntities = [GroupEntity, MembershipEntity, InviteEntity];
export const groupsMigrations = [CreateGroups1795561380000, GroupMemberProfiles1795561700000, GroupTimeZone1795561880000];
