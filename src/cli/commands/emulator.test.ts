import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

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

const dir = mkdtempSync(join(tmpdir(), "mfawatch-emulator-cmd-"));
writeFileSync(
  join(dir, "two.yaml"),
  `name: two accounts
accounts:
  - id: "111111111111"
    name: First
  - id: "222222222222"
    name: Second
    regions: [eu-west-1]
`,
);
writeFileSync(join(dir, "bad.yaml"), `name: bad\naccounts:\n  - id: 12\n    name: x\n`);

function exported(text: string, name: string, after: string): string {
  const block = text.slice(text.indexOf(after));
  const match = new RegExp(`export ${name}=(\\S+)`).exec(block);
  if (!match?.[1]) throw new Error(`no ${name} after ${after} in:\n${text}`);
  return match[1];
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("timed out");
}

describe("mfawatch emulator", () => {
  it("serves the scenario with the printed credentials until the signal aborts", async () => {
    const controller = new AbortController();
    const cli = io(dir, controller.signal);
    const exit = main(["emulator", "--scenario", "two.yaml", "--port", "0"], cli.io);
    await until(() => cli.stdout().includes("Ctrl-C"));

    const text = cli.stdout();
    const endpoint = exported(text, "AWS_ENDPOINT_URL", "# 222222222222");
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(exported(text, "AWS_REGION", "# 222222222222")).toBe("eu-west-1");
    const sts = new STSClient({
      endpoint,
      region: "eu-west-1",
      credentials: {
        accessKeyId: exported(text, "AWS_ACCESS_KEY_ID", "# 222222222222"),
        secretAccessKey: exported(text, "AWS_SECRET_ACCESS_KEY", "# 222222222222"),
      },
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("222222222222");

    controller.abort();
    expect(await exit).toBe(0);
    await expect(fetch(endpoint, { method: "POST" })).rejects.toThrow();
  });

  it("exits 2 for a missing or invalid scenario and a bad port", async () => {
    for (const argv of [
      ["emulator"],
      ["emulator", "--scenario", "bad.yaml"],
      ["emulator", "--scenario", "nope.yaml"],
      ["emulator", "--scenario", "two.yaml", "--port", "70000"],
    ]) {
      const cli = io(dir);
      expect(await main(argv, cli.io), argv.join(" ")).toBe(2);
      expect(cli.stderr()).toMatch(/^mfawatch emulator: /);
    }
  });
});
