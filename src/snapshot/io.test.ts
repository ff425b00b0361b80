import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parseSnapshot, readSnapshot, SnapshotError, serializeSnapshot, writeSnapshot } from "./io.js";
import { type AccountSnapshot, SCHEMA_VERSION, SECTION_NAMES, type Sections } from "./types.js";

function snapshot(): AccountSnapshot {
  const sections = Object.fromEntries(
    SECTION_NAMES.map((name) => [name, { status: "error", error: { code: "Skipped", message: "test" } }]),
  ) as unknown as Sections;
  sections.regions = { status: "ok", data: ["us-east-1"] };
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "mfawatch", version: "0.1.0" },
    accountId: "111111111111",
    partition: "aws",
    region: "us-east-1",
    collectedAt: "2026-01-02T03:04:05.000Z",
    sections,
  };
}

describe("parseSnapshot", () => {
  it("round-trips a serialized snapshot", () => {
    const s = snapshot();
    expect(parseSnapshot(serializeSnapshot(s), "x.json")).toEqual(s);
  });

  it("says when the text is not JSON", () => {
    expect(() => parseSnapshot("{not json", "bad.json")).toThrow(/bad\.json is not JSON/);
  });

  it("says when JSON is not a snapshot", () => {
    expect(() => parseSnapshot('{"hello": 1}', "other.json")).toThrow(
      /other\.json is not an mfawatch snapshot/,
    );
    expect(() => parseSnapshot("[1,2]", "list.json")).toThrow(SnapshotError);
  });

  it("asks to upgrade for a newer schemaVersion", () => {
    const text = JSON.stringify({ ...snapshot(), schemaVersion: SCHEMA_VERSION + 1 });
    expect(() => parseSnapshot(text, "new.json")).toThrow(/written by a newer mfawatch; upgrade/);
  });

  it("rejects a section that is neither ok nor error, naming it", () => {
    const s = snapshot() as unknown as { sections: Record<string, unknown> };
    s.sections.credentialReport = { status: "partial", data: [] };
    expect(() => parseSnapshot(JSON.stringify(s), "s.json")).toThrow(
      /sections\.credentialReport.*status.*ok.*error/s,
    );
  });

  it("rejects a missing section and an error without a code", () => {
    const s = snapshot() as unknown as { sections: Record<string, unknown> };
    delete s.sections.cloudTrail;
    expect(() => parseSnapshot(JSON.stringify(s), "s.json")).toThrow(/sections\.cloudTrail/);
    const t = snapshot() as unknown as { sections: Record<string, unknown> };
    t.sections.organization = { status: "error", error: { message: "x" } };
    expect(() => parseSnapshot(JSON.stringify(t), "t.json")).toThrow(/sections\.organization\.error\.code/);
  });
});

describe("writeSnapshot and readSnapshot", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mfawatch-io-"));
  });

  it("writes atomically, replaces an existing file and leaves no temporary file", async () => {
    const file = join(dir, "snap.json");
    await writeFile(file, "old");
    await writeSnapshot(file, snapshot());
    expect(await readSnapshot(file)).toEqual(snapshot());
    expect(await readdir(dir)).toEqual(["snap.json"]);
  });

  it("reports a write it cannot do and keeps the existing file", async () => {
    const file = join(dir, "missing-dir", "snap.json");
    await expect(writeSnapshot(file, snapshot())).rejects.toThrow(
      /cannot write snapshot .*the directory does not exist \(ENOENT\)\. Nothing was written and no existing file was changed/,
    );
    const target = join(dir, "target");
    await mkdir(target);
    await expect(writeSnapshot(target, snapshot())).rejects.toThrow(/\(EISDIR\)|\(EEXIST\)|\(ENOTEMPTY\)/);
    expect((await readdir(dir)).sort()).toEqual(["target"]);
  });

  it.skipIf(process.getuid?.() === 0)("turns EACCES into a clear message", async () => {
    const file = join(dir, "snap.json");
    await writeFile(file, "old");
    await chmod(dir, 0o500);
    try {
      await expect(writeSnapshot(file, snapshot())).rejects.toThrow(
        /permission denied \(EACCES\)\. Nothing was written/,
      );
      expect(await readFile(file, "utf8")).toBe("old");
    } finally {
      await chmod(dir, 0o700);
    }
  });

  it("reports a file it cannot read", async () => {
    await expect(readSnapshot(join(dir, "nope.json"))).rejects.toThrow(/cannot read snapshot .*nope\.json/);
  });
});
