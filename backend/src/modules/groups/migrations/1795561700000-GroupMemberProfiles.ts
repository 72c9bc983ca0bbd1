import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/**
 * Members of a group see each other's names, which the users table's own policy (self only) hides:
 * this function shows exactly those columns, and only to members of the same group.
 */
export class GroupMemberProfiles1795561700000 implements MigrationInterface {
  name = 'GroupMemberProfiles1795561700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION app_group_members(p_group uuid)
      RETURNS TABLE (user_id uuid, username text, first_name text, last_name text, role text, joined_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.username::text, u.first_name, u.last_name, m.role, m.joined_at
          FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = p_group AND app_group_role(p_group) IS NOT NULL
         ORDER BY m.joined_at, u.id
      $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_group_members(uuid) TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION app_group_members(uuid)`);
  }
}
