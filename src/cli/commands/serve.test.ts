import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/open.js";
import { PROD, seed } from "../../web/test-support/dashboard.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mfawatch-serve-"));
  dirs.push(dir);
  return dir;
}

function io(cwd: string, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd,
    ...(signal ? { signal } : {}),
  };
  return { io: value, stdout: () => out.join(""), stderr: () => err.join("") };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("timed out");
}

describe("mfawatch serve", () => {
  it("serves the store given relative to the working directory until the signal aborts", async () => {
    const dir = tempDir();
    const store = await openStore(join(dir, "scans.db"));
    await seed(store);
    await store.close();

    const controller = new AbortController();
    const cli = io(dir, controller.signal);
    const exit = main(["serve", "--store", "sqlite:scans.db", "--port", "0"], cli.io);
    await until(() => cli.stdout().includes("Ctrl-C"));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    expect(url).toBeDefined();

    const overview = (await (await fetch(new URL("/api/overview", url))).json()) as {
      accounts: { accountId: string }[];
      history: unknown[];
    };
    expect(overview.accounts[0]?.accountId).toBe(PROD);
    expect(overview.history).toHaveLength(3);
    expect((await fetch(url ?? "")).headers.get("content-security-policy")).toContain("script-src 'self'");

    controller.abort();
    expect(await exit).toBe(0);
    expect(cli.stderr()).toContain("stopped");
    await expect(fetch(new URL("/api/overview", url))).rejects.toThrow();
  });

  it("says in its help which store it reads by default", async () => {
    const cli = io(tmpdir());
    expect(await main(["serve", "--help"], cli.io)).toBe(0);
    expect(cli.stdout()).toContain("sqlite:mfawatch.db in the working directory");
    expect(cli.stdout()).toContain("127.0.0.1");
  });

  it("exits 2 for a bad flag, port or store URL and 4 when it cannot open the store or listen", async () => {
    const dir = tempDir();
    for (const argv of [
      ["serve", "--port", "70000"],
      ["serve", "--port", "eighty"],
      ["serve", "--store", "mysql://db/x", "--port", "0"],
      ["serve", "--verbose"],
    ]) {
      const cli = io(dir);
      expect(await main(argv, cli.io), argv.join(" ")).toBe(2);
      expect(cli.stderr()).toMatch(/^mfawatch serve: /);
    }

    const missing = io(dir);
    expect(await main(["serve", "--store", "no/such/dir/x.db", "--port", "0"], missing.io)).toBe(4);
    expect(missing.stderr()).toContain("does not exist");

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const busy = io(dir);
      expect(await main(["serve", "--port", String(port)], busy.io)).toBe(4);
      expect(busy.stderr()).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      taken.close();
    }
  });
});
