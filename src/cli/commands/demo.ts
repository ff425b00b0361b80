import { fileURLToPath } from "node:url";
import { CollectError, collectAccount } from "../../collect/collectAccount.js";
import { loadScenario, ScenarioError } from "../../emulator/scenario.js";
import { createEmulator } from "../../emulator/server.js";
import type { AccountFailure, AccountReport } from "../../report/types.js";
import {
  emitReport,
  JUDGE_FLAGS,
  JUDGE_USAGE,
  OUTPUT_FLAGS,
  planOutput,
  resolveJudging,
} from "../../scan/cli.js";
import { buildScanReport, judgeSnapshot } from "../../scan/report.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, FailureError } from "../errors.js";
import type { CliIo, Command } from "../io.js";

/** The demo organization, beside the package (src/cli/commands or dist/cli/commands → scenarios/). */
export const DEMO_SCENARIO = fileURLToPath(new URL("../../../scenarios/demo-org.yaml", import.meta.url));

const usage = `Usage: mfawatch demo [options]

Starts the AWS emulator on the demo organization (${DEMO_SCENARIO}),
scans every account of it with that account's own credentials through the real AWS SDK, prints
the multi-account report and stops the emulator. Nothing leaves this machine.

${JUDGE_USAGE}
The report is a table unless --format, --output or --output-dir say otherwise. The demo
organization is broken on purpose, so its findings do not make the command fail: it exits 0
when the demo ran, 2 on a usage error and 4 when it could not run.
`;

export const demoCommand: Command = {
  name: "demo",
  summary: "Scan a built-in demo organization through the AWS emulator",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs("demo", args, { ...JUDGE_FLAGS, ...OUTPUT_FLAGS });
    const tableByDefault = values.output === undefined && values["output-dir"] === undefined;
    const plan = planOutput(
      { ...values, format: values.format ?? (tableByDefault ? "table" : undefined) },
      io,
    );
    const judging = resolveJudging(values, io);
    const progress = (line: string) => {
      if (!plan.quiet) io.stderr.write(`mfawatch demo: ${line}\n`);
    };

    let scenario: ReturnType<typeof loadScenario>;
    try {
      scenario = loadScenario(DEMO_SCENARIO);
    } catch (error) {
      if (error instanceof ScenarioError)
        throw new FailureError(`the demo scenario is broken: ${error.message}`);
      throw error;
    }
    const emulator = await createEmulator({ scenario, port: 0 });
    progress(`emulator for "${scenario.name}" listening on ${emulator.endpoint}`);
    const accounts: AccountReport[] = [];
    const failedAccounts: AccountFailure[] = [];
    try {
      await Promise.all(
        scenario.accounts.map(async ({ id, name }) => {
          const started = Date.now();
          try {
            const snapshot = await collectAccount({
              credentials: emulator.credentialsFor(id),
              region: "us-east-1",
              endpoint: emulator.endpoint,
              accountId: id,
              ...judging.collect,
              ...(io.signal ? { signal: io.signal } : {}),
            });
            const account = judgeSnapshot(
              { ...snapshot, accountName: name },
              { ...judging, evaluatedAt: new Date() },
            );
            accounts.push(account);
            progress(
              `scanned ${id} (${name}) in ${Date.now() - started} ms: score ${account.score.score}, ${account.score.counts.fail} failing`,
            );
          } catch (error) {
            if (!(error instanceof CollectError)) throw error;
            failedAccounts.push({
              accountId: id,
              accountName: name,
              code: error.code,
              message: error.message,
            });
            progress(`could not scan ${id} (${name}): ${error.code}: ${error.message}`);
          }
        }),
      );
    } catch (error) {
      if (io.signal?.aborted)
        throw new FailureError("interrupted before the demo scan finished; nothing was reported.");
      throw error;
    } finally {
      await emulator.close();
      progress("emulator stopped");
    }
    const order = scenario.accounts.map((a) => a.id);
    accounts.sort((a, b) => order.indexOf(a.accountId) - order.indexOf(b.accountId));
    const report = buildScanReport({
      accounts,
      failedAccounts,
      checks: judging.checks,
      generatedAt: new Date(),
      ...(scenario.organization ? { organizationId: scenario.organization.id } : {}),
    });
    const code = await emitReport("demo", report, plan, judging.failOn, io);
    return code === EXIT.findings || code === EXIT.incomplete ? EXIT.ok : code;
  },
};
