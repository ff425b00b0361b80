import type { Kysely } from "kysely";

/** Scans, per-account state, failed accounts and every result. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const failing = ["failing_critical", "failing_high", "failing_medium", "failing_low", "failing_info"];

  let scans = db.schema
    .createTable("scans")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text", (c) => c.notNull())
    .addColumn("organization_id", "text")
    .addColumn("tool_version", "text", (c) => c.notNull())
    .addColumn("accounts", "integer", (c) => c.notNull())
    .addColumn("failed_accounts", "integer", (c) => c.notNull())
    .addColumn("score", "double precision", (c) => c.notNull())
    .addColumn("coverage", "double precision", (c) => c.notNull());
  for (const column of failing) scans = scans.addColumn(column, "integer", (c) => c.notNull());
  await scans.execute();
  await db.schema.createIndex("scans_started_at").on("scans").columns(["started_at", "id"]).execute();

  let accounts = db.schema
    .createTable("scan_accounts")
    .addColumn("scan_id", "text", (c) => c.notNull().references("scans.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("account_name", "text")
    .addColumn("aws_partition", "text")
    .addColumn("region", "text")
    .addColumn("scan_started_at", "text", (c) => c.notNull())
    .addColumn("collected_at", "text", (c) => c.notNull())
    .addColumn("credential_report_generated_at", "text")
    .addColumn("score", "double precision", (c) => c.notNull())
    .addColumn("coverage", "double precision", (c) => c.notNull())
    .addColumn("evaluated", "integer", (c) => c.notNull())
    .addColumn("unknown", "integer", (c) => c.notNull())
    .addColumn("suppressed", "integer", (c) => c.notNull());
  for (const column of failing) accounts = accounts.addColumn(column, "integer", (c) => c.notNull());
  await accounts
    .addColumn("section_errors", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("scan_accounts_pk", ["scan_id", "account_id"])
    .execute();
  await db.schema
    .createIndex("scan_accounts_latest")
    .on("scan_accounts")
    .columns(["account_id", "scan_started_at", "scan_id"])
    .execute();

  await db.schema
    .createTable("failed_accounts")
    .addColumn("scan_id", "text", (c) => c.notNull().references("scans.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("account_name", "text")
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("failed_accounts_pk", ["scan_id", "account_id"])
    .execute();

  await db.schema
    .createTable("results")
    .addColumn("scan_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("check_id", "text", (c) => c.notNull())
    .addColumn("resource", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull())
    .addColumn("suppressed_reason", "text")
    .addColumn("suppressed_expires", "text")
    .addPrimaryKeyConstraint("results_pk", ["scan_id", "account_id", "seq"])
    .addForeignKeyConstraint(
      "results_scan_account_fk",
      ["scan_id", "account_id"],
      "scan_accounts",
      ["scan_id", "account_id"],
      (c) => c.onDelete("cascade"),
    )
    .execute();
  await db.schema.createIndex("results_check").on("results").columns(["scan_id", "check_id"]).execute();
  await db.schema
    .createIndex("results_status_severity")
    .on("results")
    .columns(["scan_id", "status", "severity"])
    .execute();
}
