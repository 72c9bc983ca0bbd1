import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/**
 * A group keeps its own time zone, in which its budget periods start and end: its members may live in
 * different ones, and the group's month must not depend on who happens to look or to record a bill.
 * Existing groups, and new ones unless told otherwise, take their creator's time zone.
 */
export class GroupTimeZone1795561880000 implements MigrationInterface {
  name = 'GroupTimeZone1795561880000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE groups ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`);
    await db.query(`UPDATE groups g SET time_zone = u.time_zone FROM users u WHERE u.id = g.created_by`);
    await db.query(`
      CREATE FUNCTION app_create_group(p_id uuid, p_name text, p_currency text, p_time_zone text) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF app_user_id() IS NULL THEN RAISE EXCEPTION 'no user' USING ERRCODE = 'insufficient_privilege'; END IF;
        INSERT INTO groups (id, name, base_currency, created_by, time_zone)
        VALUES (p_id, p_name, p_currency, app_user_id(), coalesce(p_time_zone, (SELECT time_zone FROM users WHERE id = app_user_id()), 'UTC'));
        INSERT INTO memberships (group_id, user_id, role) VALUES (p_id, app_user_id(), 'admin');
      END $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_create_group(uuid, text, text, text) TO ${APP_ROLE}`);
    // Replicas still running the previous release call the three-argument form during a rolling update.
    await db.query(`
      CREATE OR REPLACE FUNCTION app_create_group(p_id uuid, p_name text, p_currency text) RETURNS void
      LANGUAGE sql SECURITY INVOKER AS $$ SELECT app_create_group(p_id, p_name, p_currency, NULL) $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION app_create_group(p_id uuid, p_name text, p_currency text) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF app_user_id() IS NULL THEN RAISE EXCEPTION 'no user' USING ERRCODE = 'insufficient_privilege'; END IF;
        INSERT INTO groups (id, name, base_currency, created_by) VALUES (p_id, p_name, p_currency, app_user_id());
        INSERT INTO memberships (group_id, user_id, role) VALUES (p_id, app_user_id(), 'admin');
      END $$`);
    await db.query(`DROP FUNCTION app_create_group(uuid, text, text, text)`);
    await db.query(`ALTER TABLE groups DROP COLUMN time_zone`);
  }
}
