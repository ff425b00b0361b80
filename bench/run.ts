/**
 * `npm run bench [-- --quick] [-- --latency-ms N] [-- --only id,id]`: measures mfawatch's speed
 * and API cost on generated scenarios and judges the targets of issue #6. A full run writes
 * bench/results/<date>.json and the table in bench/README.md; `--only` re-measures some cases
 * and merges them into that day's file; a quick run only prints.
 * Exits 1 when a scenario errors; timing never fails the run.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import {
  type CaseContext,
  type CaseResult,
  cliScript,
  notBuilt,
  runEvaluateCase,
  runScanCase,
} from "./cases.js";
import { runDashboardCase } from "./dashboard.js";
import {
  type BenchLoad,
  MANAGEMENT_ACCOUNT,
  organizationScenario,
  singleAccountScenario,
} from "./generate.js";
import { IAM_THROTTLE } from "./measure.js";
import { describeMachine, judgeTargets, renderTables, replaceResults } from "./report.js";

const USERS_PER_ORG_ACCOUNT = 50;

function orgScanExists(root: string): boolean {
  const help = execFileSync(process.execPath, [cliScript(root), "scan", "--help"], { encoding: "utf8" });
  return help.includes("--org");
}

function commandExists(root: string, command: string): boolean {
  const help = execFileSync(process.execPath, [cliScript(root), "--help"], { encoding: "utf8" });
  return new RegExp(`^\\s+${command}\\s`, "m").test(help);
}

interface Plan {
  accountSizes: number[];
  orgSizes: number[];
  evaluateUsers: number;
  dashboardAccounts: number;
  dashboardDays: number;
}

const FULL: Plan = {
  accountSizes: [10, 1_000, 10_000],
  orgSizes: [10, 100, 1_000],
  evaluateUsers: 10_000,
  dashboardAccounts: 1_000,
  dashboardDays: 90,
};
const QUICK: Plan = {
  accountSizes: [10, 1_000],
  orgSizes: [10],
  evaluateUsers: 1_000,
  dashboardAccounts: 100,
  dashboardDays: 30,
};

const n = (value: number) => value.toLocaleString("en-US");

async function runAll(
  plan: Plan,
  load: BenchLoad,
  context: CaseContext,
  say: (line: string) => void,
  wanted: (id: string) => boolean,
) {
  const results: CaseResult[] = [];
  const record = (result: CaseResult) => {
    results.push({ ...result, measuredAt: new Date().toISOString() });
    const wall = result.wallMs === undefined ? "" : ` in ${(result.wallMs / 1000).toFixed(1)} s`;
    say(`${result.id}: ${result.status}${wall}${result.notes.length ? ` (${result.notes.join("; ")})` : ""}`);
  };
  const evaluateSnapshot = join(context.work, `evaluate-${plan.evaluateUsers}.snapshot.json`);
  const evaluateId = `evaluate-${plan.evaluateUsers}`;

  for (const users of plan.accountSizes) {
    const forEvaluate = users === plan.evaluateUsers && wanted(evaluateId);
    if (!wanted(`account-${users}`) && !forEvaluate) continue;
    say(`account-${users}: generating and scanning one account with ${n(users)} users…`);
    record(
      await runScanCase(
        {
          id: `account-${users}`,
          title: `1 account, ${n(users)} users`,
          scenario: singleAccountScenario(users, load),
          accountId: "200000000000",
          ...(users === plan.evaluateUsers ? { saveSnapshot: evaluateSnapshot } : {}),
        },
        context,
      ),
    );
  }

  const evaluateTitle = `evaluate, ${n(plan.evaluateUsers)}-user snapshot`;
  const source = results.find((r) => r.id === `account-${plan.evaluateUsers}`);
  const evaluate = async (): Promise<CaseResult> => {
    if (source?.status !== "ok")
      return {
        id: evaluateId,
        title: evaluateTitle,
        status: "error",
        notes: ["no snapshot: its scan errored"],
      };
    say(`${evaluateId}: judging the saved snapshot offline…`);
    const spec = {
      id: evaluateId,
      title: evaluateTitle,
      snapshot: evaluateSnapshot,
      users: plan.evaluateUsers,
    };
    return runEvaluateCase(spec, context);
  };
  if (wanted(evaluateId)) record(await evaluate());

  const org = orgScanExists(context.root);
  for (const accounts of plan.orgSizes) {
    const id = `org-${accounts}`;
    const title = `organization, ${n(accounts)} accounts × ${USERS_PER_ORG_ACCOUNT} users`;
    if (!wanted(id)) continue;
    if (!org) {
      record(notBuilt(id, title, "`mfawatch scan --org` does not exist yet"));
      continue;
    }
    say(`${id}: generating and scanning ${n(accounts)} accounts…`);
    record(
      await runScanCase(
        {
          id,
          title,
          scenario: organizationScenario(accounts, USERS_PER_ORG_ACCOUNT, load),
          accountId: MANAGEMENT_ACCOUNT,
          args: ["--org"],
          snapshotDir: true,
        },
        context,
      ),
    );
  }

  const dashboardId = `dashboard-${plan.dashboardAccounts}`;
  const dashboardTitle = `dashboard API, ${n(plan.dashboardAccounts)} accounts, ${plan.dashboardDays} days of scans`;
  const dashboard = async (): Promise<CaseResult> => {
    if (!commandExists(context.root, "serve"))
      return notBuilt(dashboardId, dashboardTitle, "`mfawatch serve` (the dashboard) does not exist yet");
    say(`${dashboardId}: storing ${plan.dashboardDays} daily scans, then timing the API…`);
    const spec = {
      id: dashboardId,
      title: dashboardTitle,
      accounts: plan.dashboardAccounts,
      days: plan.dashboardDays,
    };
    return runDashboardCase(spec, context);
  };
  if (wanted(dashboardId)) record(await dashboard());
  return results;
}

/** The results of an earlier run of the same day with the re-measured cases replaced or added. */
async function mergeWithEarlier(file: string, measured: CaseResult[]): Promise<CaseResult[]> {
  const earlier = await readFile(file, "utf8").then(
    (text) => (JSON.parse(text) as { results: CaseResult[] }).results,
    () => [],
  );
  const fresh = new Map(measured.map((r) => [r.id, r]));
  const merged = earlier.map((r) => fresh.get(r.id) ?? r);
  return [...merged, ...measured.filter((r) => !earlier.some((e) => e.id === r.id))];
}

/** Formats a file the way `npm run lint` (Biome) wants it, so that it can be committed as is. */
function formatForLint(root: string, file: string): void {
  execFileSync(join(root, "node_modules", ".bin", "biome"), ["format", "--write", file], { stdio: "ignore" });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      "latency-ms": { type: "string", default: "50" },
      only: { type: "string" },
    },
  });
  const only = values.only
    ?.split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const latencyMs = Number(values["latency-ms"]);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    process.stderr.write(`--latency-ms takes a number of milliseconds, not "${values["latency-ms"]}"\n`);
    return 2;
  }
  const root = resolve(import.meta.dirname, "..", "..", "..");
  const quick = values.quick ?? false;
  const load: BenchLoad = { latencyMs };
  const work = await mkdtemp(join(tmpdir(), "mfawatch-bench-"));
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const started = new Date();
  const oneMinuteLoad = () => Math.round((loadavg()[0] ?? 0) * 10) / 10;
  const loadBefore = oneMinuteLoad();
  try {
    const wanted = (id: string) => !only || only.includes(id);
    const measured = await runAll(quick ? QUICK : FULL, load, { root, work }, say, wanted);
    const day = started.toISOString().slice(0, 10);
    const file = quick
      ? join(tmpdir(), `mfawatch-bench-quick-${day}.json`)
      : join(root, "bench", "results", `${day}.json`);
    const results = only && !quick ? await mergeWithEarlier(file, measured) : measured;
    const loadAverage = { before: loadBefore, after: oneMinuteLoad() };
    const targets = judgeTargets(results);
    const machine = describeMachine();
    const output = {
      date: started.toISOString(),
      quick,
      ...(only ? { only } : {}),
      mfawatch: packageJson.version,
      machine,
      /** The 1-minute load average: other work on the machine slows every figure. */
      loadAverage,
      settings: {
        latencyMs,
        latencyJitter: "each call waits 0.8 to 1.2 times latencyMs",
        iamThrottle: { ...IAM_THROTTLE, per: "account", assumption: "AWS publishes no IAM rate limit" },
        cloudTrailLookupEvents: "2 requests per second per account and region (emulator default)",
        usersPerOrganizationAccount: USERS_PER_ORG_ACCOUNT,
      },
      results,
      targets,
    };
    const tables = renderTables(results, targets);
    process.stdout.write(`\n${tables}`);
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
    if (!quick) formatForLint(root, file);
    say(`results written to ${file}`);
    if (!quick) {
      const readmeFile = join(root, "bench", "README.md");
      const where = `Run on ${day}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node.js ${machine.node}; ${latencyMs} ms per call; load average ${loadAverage.before} before, ${loadAverage.after} after. Raw results: [results/${day}.json](results/${day}.json)${only ? `; ${only.join(", ")} re-measured at ${started.toISOString().slice(11, 16)} UTC, the rest earlier that day (each result's measuredAt)` : ""}.\n\n`;
      await writeFile(readmeFile, replaceResults(await readFile(readmeFile, "utf8"), where + tables));
      formatForLint(root, readmeFile);
      say("table updated in bench/README.md");
    }
    const errored = results.filter((r) => r.status === "error");
    if (errored.length > 0)
      say(`${errored.length} scenario(s) errored: ${errored.map((r) => r.id).join(", ")}`);
    return errored.length > 0 ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
