import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createClientFactory } from "../../aws/clients.js";
import { resolveRegion } from "../../aws/credentials.js";
import { checks } from "../../checks/index.js";
import { CollectError, collectAccount } from "../../collect/collectAccount.js";
import { runChecks } from "../../engine/runChecks.js";
import { ApplyError, applyFixPlan } from "../../fix/apply.js";
import { buildFixPlan, DEFAULT_FIX_OPTIONS } from "../../fix/plan.js";
import { FIX_FORMATS, type FixFormat, policyCommands, renderPlan } from "../../fix/render.js";
import { readSnapshot, SnapshotError } from "../../snapshot/io.js";
import type { AccountSnapshot } from "../../snapshot/types.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, FailureError, UsageError } from "../errors.js";
import type { CliIo, Command } from "../io.js";
import { credentialsFrom, progressLine } from "./scan.js";

const usage = `Usage: mfawatch fix --plan [options]
       mfawatch fix --apply [--yes] [options]

Builds a remediation plan for one account: AWS's force-MFA policy attached to a group holding the
console users, the users to ask to enrol an MFA device, the access keys to rotate or remove, and
the AWS Config rules to deploy.

  --plan                 print the plan; nothing is written to AWS
  --apply                create the policy and the group and add the console users (only that),
                         after a confirmation typed at the terminal
  --yes                  confirm --apply without a terminal
  --format F             text (default), terraform or cloudformation
  --snapshot FILE        plan from a saved snapshot instead of collecting the account now
  --policy-name NAME     default ${DEFAULT_FIX_OPTIONS.policyName}
  --group-name NAME      default ${DEFAULT_FIX_OPTIONS.groupName}
  --quiet                no progress lines

AWS (to collect, and for --apply):
  --profile P            use this profile of the shared AWS config
  --region R             default: AWS_REGION, the profile's, us-east-1
  --endpoint URL         send every AWS call to URL (an emulator); default AWS_ENDPOINT_URL

Exit codes: 0 done (or --apply declined), 2 usage error, 4 could not collect or apply.
`;

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const stdin = io.stdin;
  if (!stdin) return false;
  io.stderr.write(question);
  const lines = createInterface({ input: stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line.trim().toLowerCase() === "yes";
  }
  return false;
}

export const fixCommand: Command = {
  name: "fix",
  summary: "Plan (or apply) the remediation of one account's MFA findings",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs("fix", args, {
      plan: { type: "boolean" },
      apply: { type: "boolean" },
      yes: { type: "boolean" },
      format: { type: "string" },
      snapshot: { type: "string" },
      "policy-name": { type: "string" },
      "group-name": { type: "string" },
      profile: { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
      quiet: { type: "boolean" },
    });
    if (Boolean(values.plan) === Boolean(values.apply)) {
      throw new UsageError(
        "give exactly one of --plan or --apply.\nRun 'mfawatch fix --help' for the options.",
      );
    }
    const format = (values.format ?? "text") as FixFormat;
    if (!FIX_FORMATS.includes(format)) {
      throw new UsageError(`--format takes ${FIX_FORMATS.join(", ")}, not "${values.format}".`);
    }
    if (values.apply && values.format !== undefined) {
      throw new UsageError("--format goes with --plan; --apply makes the changes itself.");
    }
    if (values.endpoint !== undefined && !/^https?:\/\/[^/]/.test(values.endpoint)) {
      throw new UsageError(`--endpoint takes a URL such as http://127.0.0.1:4566, not "${values.endpoint}".`);
    }
    for (const flag of ["policy-name", "group-name"] as const) {
      const value = values[flag];
      if (value !== undefined && !/^[\w+=,.@-]{1,128}$/.test(value)) {
        throw new UsageError(`--${flag} takes an IAM name (letters, digits and +=,.@_-), not "${value}".`);
      }
    }
    if (values.apply && !values.yes && !io.stdin?.isTTY) {
      throw new UsageError(
        "--apply changes IAM and asks for confirmation at a terminal; without one, add --yes.",
      );
    }

    const aws = async () => {
      const region =
        values.region ??
        io.env.AWS_REGION ??
        io.env.AWS_DEFAULT_REGION ??
        (await resolveRegion(undefined, values.profile));
      const endpoint = values.endpoint ?? io.env.AWS_ENDPOINT_URL;
      return {
        credentials: credentialsFrom(io.env, values.profile),
        region,
        ...(endpoint ? { endpoint } : {}),
      };
    };

    let snapshot: AccountSnapshot;
    if (values.snapshot) {
      try {
        snapshot = await readSnapshot(resolve(io.cwd, values.snapshot));
      } catch (error) {
        if (error instanceof SnapshotError) throw new UsageError(error.message);
        throw error;
      }
    } else {
      try {
        snapshot = await collectAccount({
          ...(await aws()),
          ...(values.quiet
            ? {}
            : { onProgress: (event) => io.stderr.write(progressLine("mfawatch fix: ", event)) }),
          ...(io.signal ? { signal: io.signal } : {}),
        });
      } catch (error) {
        if (error instanceof CollectError)
          throw new FailureError(`could not collect the account: ${error.message}`);
        throw error;
      }
    }

    const plan = buildFixPlan(snapshot, runChecks(snapshot, checks), {
      policyName: values["policy-name"] ?? DEFAULT_FIX_OPTIONS.policyName,
      groupName: values["group-name"] ?? DEFAULT_FIX_OPTIONS.groupName,
    });
    if (values.plan) {
      io.stdout.write(renderPlan(plan, format));
      return EXIT.ok;
    }

    const clients = createClientFactory(await aws());
    try {
      const identity = await clients
        .get("sts")
        .send(new GetCallerIdentityCommand({}))
        .catch((error: Error) => {
          throw new FailureError(`could not check the credentials' account: ${error.name}: ${error.message}`);
        });
      if (identity.Account !== plan.accountId) {
        throw new FailureError(
          `the credentials belong to account ${identity.Account}, but the plan is for account ${plan.accountId}: nothing was changed.`,
        );
      }
      io.stdout.write(
        `mfawatch fix --apply will run in account ${plan.accountId}:\n${policyCommands(plan)
          .map((c) => `  ${c}\n`)
          .join("")}`,
      );
      if (!values.yes && !(await confirm(io, "Type 'yes' to apply: "))) {
        io.stdout.write("Nothing was changed.\n");
        return EXIT.ok;
      }
      await applyFixPlan(clients.get("iam"), plan, (s) =>
        io.stdout.write(`  ${s.outcome === "done" ? "done   " : "already"} ${s.step}\n`),
      );
      io.stdout.write(
        `Applied. Ask ${plan.enrol.length} user(s) to enrol an MFA device; the keys and Config rules of the plan are left to you ('mfawatch fix --plan').\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof ApplyError) {
        const done = error.done.filter((s) => s.outcome === "done").map((s) => s.step);
        throw new FailureError(
          `${error.message}\nChanged before the failure: ${done.length > 0 ? done.join("; ") : "nothing"}. Re-running finishes the job.`,
        );
      }
      throw error;
    } finally {
      clients.destroy();
    }
  },
};
