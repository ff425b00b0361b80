import { type Kysely, sql } from "kysely";

/**
 * `latest_scans`: each account's latest scan with its results counted by status, kept by saveScan,
 * so that the overview, an account's page and the default findings read 1 row per account instead
 * of finding the latest scan per result row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("latest_scans")
    .addColumn("account_id", "text", (c) => c.primaryKey())
    .addColumn("scan_id", "text", (c) => c.notNull())
    .addColumn("scan_started_at", "text", (c) => c.notNull())
    .addColumn("collected_at", "text", (c) => c.notNull())
    .addColumn("score", "double precision", (c) => c.notNull())
    .addColumn("results_pass", "integer", (c) => c.notNull())
    .addColumn("results_fail", "integer", (c) => c.notNull())
    .addColumn("results_unknown", "integer", (c) => c.notNull())
    .addColumn("results_error", "integer", (c) => c.notNull())
    .addColumn("results_not_applicable", "integer", (c) => c.notNull())
    .execute();
  const counted = (status: string) =>
    sql`(select count(*) from results r where r.scan_id = sa.scan_id and r.account_id = sa.account_id and r.status = ${status})`;
  await sql`insert into latest_scans (account_id, scan_id, scan_started_at, collected_at, score, results_pass, results_fail, results_unknown, results_error, results_not_applicable)
    select sa.account_id, sa.scan_id, sa.scan_started_at, sa.collected_at, sa.score, ${counted("pass")}, ${counted("fail")}, ${counted("unknown")}, ${counted("error")}, ${counted("not_applicable")}
    from scan_accounts sa
    where not exists (select 1 from scan_accounts x where x.account_id = sa.account_id and (x.scan_started_at > sa.scan_started_at or (x.scan_started_at = sa.scan_started_at and x.scan_id > sa.scan_id)))`.execute(
    db,
  );
  await sql`analyze latest_scans`.execute(db);
}
