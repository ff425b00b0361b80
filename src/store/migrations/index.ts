/**
 * The migrations, as code so that they ship in dist/. Append new ones (drift events, the alert
 * outbox, …) under a name that sorts after the last; never edit or rename one that was released.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { UsageError } from "../../cli/errors.js";
import { VERSION } from "../../version.js";
import * as scans from "./0001_scans.js";
import * as latestScans from "./0002_latest_scans.js";

export const MIGRATIONS: Record<string, Migration> = {
  "0001_scans": scans,
  "0002_latest_scans": latestScans,
};

export const MIGRATION_TABLE = "mfawatch_migration";

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date. Refuses a database that is not mfawatch's (tables but no migration
 * table) and one written by a newer mfawatch (a migration this version does not know).
 */
export async function migrate(db: Kysely<unknown>, where: string): Promise<void> {
  const tables = (await db.introspection.getTables()).map((t) => t.name);
  if (tables.length > 0 && !tables.includes(MIGRATION_TABLE)) {
    throw new UsageError(
      `${where} is not an mfawatch database: it has tables (${tables.slice(0, 5).join(", ")}) but no ${MIGRATION_TABLE}`,
    );
  }
  if (tables.includes(MIGRATION_TABLE)) {
    const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const unknown = applied.rows.map((r) => r.name).filter((name) => !(name in MIGRATIONS));
    if (unknown.length > 0) {
      throw new UsageError(
        `the database at ${where} was written by a newer mfawatch (schema migration ${unknown.join(", ")} is unknown to mfawatch ${VERSION}); upgrade mfawatch to use it`,
      );
    }
  }
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
