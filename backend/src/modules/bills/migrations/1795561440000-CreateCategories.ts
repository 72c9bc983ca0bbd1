import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCategories1795561440000 implements MigrationInterface {
  name = 'CreateCategories1795561440000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE categories (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid,
        group_id uuid,
        name citext NOT NULL,
        color text NOT NULL,
        icon text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_categories" PRIMARY KEY (id),
        CONSTRAINT categories_one_scope CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CONSTRAINT categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT categories_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX categories_user_name_key ON categories (user_id, name) WHERE user_id IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX categories_group_name_key ON categories (group_id, name) WHERE group_id IS NOT NULL`);
    await db.query(`ALTER TABLE categories ENABLE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY categories_read ON categories FOR SELECT
      USING (user_id = app_user_id() OR app_group_role(group_id) IS NOT NULL)`);
    await db.query(`CREATE POLICY categories_write ON categories FOR ALL
      USING (user_id = app_user_id() OR app_group_role(group_id) = 'admin')
      WITH CHECK (user_id = app_user_id() OR app_group_role(group_id) = 'admin')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE categories`);
  }
}
