import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

export class CreateGroups1795561380000 implements MigrationInterface {
  name = 'CreateGroups1795561380000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE groups (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        base_currency character(3) NOT NULL,
        members_see_all_bills boolean NOT NULL DEFAULT false,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_groups" PRIMARY KEY (id),
        CONSTRAINT groups_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await db.query(`
      CREATE TABLE memberships (
        group_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_memberships" PRIMARY KEY (group_id, user_id),
        CONSTRAINT memberships_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE,
        CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX memberships_user_id_idx ON memberships (user_id)`);
    await db.query(`
      CREATE TABLE invites (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        group_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        max_uses integer,
        uses integer NOT NULL DEFAULT 0,
        revoked_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_invites" PRIMARY KEY (id),
        CONSTRAINT invites_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE,
        CONSTRAINT invites_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await db.query(`CREATE INDEX invites_group_id_idx ON invites (group_id)`);

    // Policies ask "is the current user a member, and with which role?" through definer functions:
    // a policy on memberships that queried memberships itself would recurse.
    await db.query(`
      CREATE FUNCTION app_group_role(p_group uuid) RETURNS text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT role FROM memberships WHERE group_id = p_group AND user_id = app_user_id() $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_group_role(uuid) TO ${APP_ROLE}`);

    for (const table of ['groups', 'memberships', 'invites']) await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY groups_members_read ON groups FOR SELECT USING (app_group_role(id) IS NOT NULL)`);
    await db.query(`CREATE POLICY groups_admins_update ON groups FOR UPDATE USING (app_group_role(id) = 'admin')`);
    await db.query(`CREATE POLICY groups_admins_delete ON groups FOR DELETE USING (app_group_role(id) = 'admin')`);
    await db.query(`CREATE POLICY memberships_members_read ON memberships FOR SELECT USING (app_group_role(group_id) IS NOT NULL)`);
    await db.query(`CREATE POLICY memberships_admins_update ON memberships FOR UPDATE USING (app_group_role(group_id) = 'admin')`);
    await db.query(`CREATE POLICY memberships_admins_or_self_delete ON memberships FOR DELETE USING (app_group_role(group_id) = 'admin' OR user_id = app_user_id())`);
    await db.query(`CREATE POLICY invites_admins ON invites USING (app_group_role(group_id) = 'admin') WITH CHECK (app_group_role(group_id) = 'admin')`);

    // Creating a group and joining one both add a membership the user could not yet insert under
    // the policies above; these functions do exactly that and nothing more.
    await db.query(`
      CREATE FUNCTION app_create_group(p_id uuid, p_name text, p_currency text) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF app_user_id() IS NULL THEN RAISE EXCEPTION 'no user' USING ERRCODE = 'insufficient_privilege'; END IF;
        INSERT INTO groups (id, name, base_currency, created_by) VALUES (p_id, p_name, p_currency, app_user_id());
        INSERT INTO memberships (group_id, user_id, role) VALUES (p_id, app_user_id(), 'admin');
      END $$`);
    await db.query(`
      CREATE FUNCTION app_redeem_invite(p_invite uuid, p_token_hash text) RETURNS TABLE (joined_group uuid, outcome text)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_invite invites%ROWTYPE;
      BEGIN
        IF app_user_id() IS NULL THEN RAISE EXCEPTION 'no user' USING ERRCODE = 'insufficient_privilege'; END IF;
        SELECT * INTO v_invite FROM invites WHERE id = p_invite AND token_hash = p_token_hash FOR UPDATE;
        IF NOT FOUND OR v_invite.revoked_at IS NOT NULL OR v_invite.expires_at <= now() THEN
          RETURN QUERY SELECT NULL::uuid, 'invalid'; RETURN;
        END IF;
        IF EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = v_invite.group_id AND m.user_id = app_user_id()) THEN
          RETURN QUERY SELECT v_invite.group_id, 'already_member'; RETURN;
        END IF;
        IF v_invite.max_uses IS NOT NULL AND v_invite.uses >= v_invite.max_uses THEN
          RETURN QUERY SELECT NULL::uuid, 'invalid'; RETURN;
        END IF;
        UPDATE invites SET uses = uses + 1 WHERE id = p_invite;
        INSERT INTO memberships (group_id, user_id, role) VALUES (v_invite.group_id, app_user_id(), 'member');
        RETURN QUERY SELECT v_invite.group_id, 'joined';
      END $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_create_group(uuid, text, text), app_redeem_invite(uuid, text) TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION app_redeem_invite(uuid, text)`);
    await db.query(`DROP FUNCTION app_create_group(uuid, text, text)`);
    await db.query(`DROP TABLE invites`);
    await db.query(`DROP TABLE memberships`);
    await db.query(`DROP TABLE groups`);
    await db.query(`DROP FUNCTION app_group_role(uuid)`);
  }
}
