import { resolve } from "node:path";
import {
  emitReport,
  JUDGE_FLAGS,
  JUDGE_USAGE,
  OUTPUT_FLAGS,
  planOutput,
  resolveJudging,
} from "../../scan/cli.js";
import { buildScanReport, judgeSnapshot } from "../../scan/report.js";
import { readSnapshot, SnapshotError } from "../../snapshot/io.js";
import { parseCommandArgs } from "../args.js";
import { UsageError } from "../errors.js";
import type { CliIo, Command } from "../io.js";

const usage = `Usage: mfawatch evaluate SNAPSHOT.json [options]

Judges a saved snapshot (from 'mfawatch scan --save-snapshot') offline, without calling AWS.

${JUDGE_USAGE}
Exit codes as 'mfawatch scan': 0, 1 failing findings, 2 usage error or unreadable snapshot, 3 incomplete.
`;

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "Judge a saved snapshot offline",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      "evaluate",
      args,
      { ...JUDGE_FLAGS, ...OUTPUT_FLAGS },
      true,
    );
    if (positionals.length !== 1) {
      throw new UsageError(
        `give exactly one snapshot file${positionals.length > 1 ? `, not ${positionals.length}` : ""}.\nRun 'mfawatch evaluate --help' for the options.`,
      );
    }
    const plan = planOutput(values, io);
    const judging = resolveJudging(values, io);
    let snapshot: Awaited<ReturnType<typeof readSnapshot>>;
    try {
      snapshot = await readSnapshot(resolve(io.cwd, positionals[0] as string));
    } catch (error) {
      if (error instanceof SnapshotError) throw new UsageError(error.message);
      throw error;
    }
    const now = new Date();
    const account = judgeSnapshot(snapshot, { ...judging, evaluatedAt: now });
    const report = buildScanReport({ accounts: [account], checks: judging.checks, generatedAt: now });
    return emitReport("evaluate", report, plan, judging.failOn, io);
  },
};
