import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model registry's catalogue: one row per registered version of a forecasting model. Not tenant
 * data (a model holds no bill), so no row-level security; the artifacts live in object storage under
 * `models/<name>/<version>/`.
 */
export class CreateMlModels1795561780000 implements MigrationInterface {
  name = 'CreateMlModels1795561780000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ml_models (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        version text NOT NULL,
        status text NOT NULL,
        metrics jsonb NOT NULL,
        data_from date NOT NULL,
        data_to date NOT NULL,
        series_count integer NOT NULL,
        bill_count integer,
        data_cutoff timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        promoted_at timestamptz,
        CONSTRAINT "PK_ml_models" PRIMARY KEY (id),
        CONSTRAINT ml_models_status_known CHECK (status IN ('candidate', 'active', 'retired', 'failed')),
        CONSTRAINT ml_models_name_version_key UNIQUE (name, version)
      )`);
    // The active.json pointer in object storage names one version; the table agrees.
    await db.query(`CREATE UNIQUE INDEX ml_models_one_active ON ml_models (name) WHERE status = 'active'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ml_models`);
  }
}
