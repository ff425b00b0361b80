/**
 * Snapshots as files: JSON text, validated on the way in, written atomically on the way out.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { type AccountSnapshot, SCHEMA_VERSION, SECTION_NAMES, type SectionName } from "./types.js";

/** A snapshot that cannot be read or written; the message says what and what to do. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
}

const sectionSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), data: z.unknown() }),
  z.object({
    status: z.literal("error"),
    error: z.object({ code: z.string(), message: z.string(), operation: z.string().optional() }),
  }),
]);

const sectionsShape = Object.fromEntries(SECTION_NAMES.map((name) => [name, sectionSchema])) as Record<
  SectionName,
  typeof sectionSchema
>;

const snapshotSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal("mfawatch"), version: z.string() }),
  accountId: z.string().regex(/^\d{12}$/, "an account id is 12 digits"),
  accountName: z.string().optional(),
  partition: z.string(),
  region: z.string(),
  collectedAt: z.iso.datetime({ offset: true }),
  sections: z.object(sectionsShape),
});

export function serializeSnapshot(snapshot: AccountSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** Parses and validates snapshot JSON; `source` names it in errors (a file name, `stdin`). */
export function parseSnapshot(text: string, source: string): AccountSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(
      `${source} is not JSON (${(error as Error).message}): is it an mfawatch snapshot?`,
    );
  }
  if (typeof value !== "object" || value === null || !("schemaVersion" in value)) {
    throw new SnapshotError(`${source} is not an mfawatch snapshot: it has no schemaVersion.`);
  }
  const version = (value as { schemaVersion: unknown }).schemaVersion;
  if (typeof version === "number" && version > SCHEMA_VERSION) {
    throw new SnapshotError(
      `${source} has schemaVersion ${version}: it was written by a newer mfawatch; upgrade mfawatch to read it (this one reads schemaVersion ${SCHEMA_VERSION}).`,
    );
  }
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10).map((issue) => {
      const path = issue.path.join(".") || "(top)";
      const sectionLevel = issue.path.length === 2 && issue.path[0] === "sections";
      return `  ${path}: ${sectionLevel && issue.code === "invalid_union" ? 'a section is {"status":"ok","data":…} or {"status":"error","error":{"code","message"}}' : issue.message}`;
    });
    throw new SnapshotError(`${source} is not a valid mfawatch snapshot:\n${issues.join("\n")}`);
  }
  return result.data as AccountSnapshot;
}

export async function readSnapshot(file: string): Promise<AccountSnapshot> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SnapshotError(`cannot read snapshot ${file}: ${(error as Error).message}`);
  }
  return parseSnapshot(text, file);
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exhausted",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOENT: "the directory does not exist",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "the path is a directory",
};

/**
 * Writes the snapshot to a temporary file beside `file`, then renames it into place, so that a
 * reader never sees half a snapshot and a failed write leaves any existing file as it was.
 */
export async function writeSnapshot(file: string, snapshot: AccountSnapshot): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, serializeSnapshot(snapshot), { flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = WRITE_ERRORS[code] ?? (error as Error).message;
    throw new SnapshotError(
      `cannot write snapshot ${file}: ${why}${code ? ` (${code})` : ""}. Nothing was written and no existing file was changed.`,
    );
  }
}
