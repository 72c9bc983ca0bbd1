import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCHED = `search_text(title || ' ' || coalesce(payee, '') || ' ' || coalesce(notes, ''))`;

/**
 * Stores each bill's search document instead of recomputing it per row and query. Row-level
 * security keeps the trigram index out of reach of the app role's LIKE (not leakproof), so a search
 * filters rows after reading them; lower(unaccent(…)) on every row read was the cost of a search.
 * A trigger (not a GENERATED column, which TypeORM's schema diff mishandles) keeps it current.
 */
export class BillSearchDocument1795561720000 implements MigrationInterface {
  name = 'BillSearchDocument1795561720000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bills ADD COLUMN search_document text`);
    await db.query(`
      CREATE FUNCTION bills_set_search_document() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        NEW.search_document := search_text(NEW.title || ' ' || coalesce(NEW.payee, '') || ' ' || coalesce(NEW.notes, ''));
        RETURN NEW;
      END $$`);
    // Also on a write of the column itself, so nothing else can make it disagree with the text.
    await db.query(`CREATE TRIGGER bills_search_document BEFORE INSERT OR UPDATE OF title, payee, notes, search_document ON bills
      FOR EACH ROW EXECUTE FUNCTION bills_set_search_document()`);
    // Backfill without firing the other triggers: the rows' facts do not change.
    await db.query(`ALTER TABLE bills DISABLE TRIGGER bills_audit`);
    await db.query(`ALTER TABLE bills DISABLE TRIGGER bills_spend_daily`);
    await db.query(`UPDATE bills SET search_document = ${SEARCHED}`);
    await db.query(`ALTER TABLE bills ENABLE TRIGGER bills_audit`);
    await db.query(`ALTER TABLE bills ENABLE TRIGGER bills_spend_daily`);
    await db.query(`DROP INDEX bills_search_trgm_idx`);
    await db.query(`CREATE INDEX bills_search_trgm_idx ON bills USING gin (search_document gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX bills_search_trgm_idx`);
    await db.query(`CREATE INDEX bills_search_trgm_idx ON bills USING gin (${SEARCHED} gin_trgm_ops)`);
    await db.query(`DROP TRIGGER bills_search_document ON bills`);
    await db.query(`DROP FUNCTION bills_set_search_document()`);
    await db.query(`ALTER TABLE bills DROP COLUMN search_document`);
  }
}
