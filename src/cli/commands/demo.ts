import { fileURLToPath } from "node:url";
import { loadScenario, ScenarioError } from "../../emulator/scenario.js";
import { createEmulator } from "../../emulator/server.js";
import { DEFAULT_ROLE_NAME } from "../../org/assumeRole.js";
import { DEFAULT_ACCOUNT_TIMEOUT_SECONDS, DEFAULT_CONCURRENCY } from "../../org/scanOrganization.js";
import type { ScanReport } from "../../report/types.js";
import {
  emitReport,
  JUDGE_FLAGS,
  JUDGE_USAGE,
  OUTPUT_FLAGS,
  planOutput,
  resolveJudging,
} from "../../scan/cli.js";
import { DEFAULT_WORKERS, runOrgScan } from "../../scan/org.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, FailureError } from "../errors.js";
import type { CliIo, Command } from "../io.js";

/** The demo organization, beside the package (src/cli/commands or dist/cli/commands → scenarios/). */
export const DEMO_SCENARIO = fileURLToPath(new URL("../../../scenarios/demo-org.yaml", import.meta.url));

const usage = `Usage: mfawatch demo [options]

Starts the AWS emulator on the demo organization (${DEMO_SCENARIO}),
runs 'mfawatch scan --org' against it through the real AWS SDK with the management account's
credentials (members through their ${DEFAULT_ROLE_NAME} role), prints the organization report and
stops the emulator. Nothing leaves this machine.

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
    const management = scenario.organization?.managementAccount;
    if (!management) throw new FailureError("the demo scenario has no organization.");
    const emulator = await createEmulator({ scenario, port: 0 });
    progress(`emulator for "${scenario.name}" listening on ${emulator.endpoint}`);
    let report: ScanReport;
    try {
      ({ report } = await runOrgScan(
        {
          command: "demo",
          settings: {
            roleName: DEFAULT_ROLE_NAME,
            exclude: [],
            concurrency: DEFAULT_CONCURRENCY,
            workers: DEFAULT_WORKERS,
            accountTimeoutMs: DEFAULT_ACCOUNT_TIMEOUT_SECONDS * 1000,
          },
          judging,
          credentials: emulator.credentialsFor(management),
          region: "us-east-1",
          endpoint: emulator.endpoint,
          progress: plan.quiet ? "none" : "accounts",
        },
        io,
      ));
    } finally {
      await emulator.close();
      progress("emulator stopped");
    }
    const code = await emitReport("demo", report, plan, judging.failOn, io);
    return code === EXIT.findings || code === EXIT.incomplete ? EXIT.ok : code;
  },
};
