import { resolve } from "node:path";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { defaultCredentials, resolveRegion } from "../../aws/credentials.js";
import { CollectError, type CollectProgress, collectAccount } from "../../collect/collectAccount.js";
import {
  emitReport,
  JUDGE_FLAGS,
  JUDGE_USAGE,
  OUTPUT_FLAGS,
  planOutput,
  resolveJudging,
} from "../../scan/cli.js";
import { ORG_FLAGS, ORG_USAGE, resolveOrgFlags, runOrgScan } from "../../scan/org.js";
import { buildScanReport, judgeSnapshot } from "../../scan/report.js";
import { SnapshotError, writeSnapshot } from "../../snapshot/io.js";
import { parseCommandArgs } from "../args.js";
import { FailureError, UsageError } from "../errors.js";
import type { CliIo, Command } from "../io.js";

const usage = `Usage: mfawatch scan [options]

Collects the account of the current AWS credentials, judges it and prints the report; with
--org, every account of the AWS Organization.

AWS:
  --profile P            use this profile of the shared AWS config
  --region R             region for regional calls (default: AWS_REGION, the profile's, us-east-1)
  --endpoint URL         send every AWS call to URL (an emulator); default AWS_ENDPOINT_URL
  --save-snapshot FILE   also save the collected snapshot (for 'mfawatch evaluate')
${ORG_USAGE}
${JUDGE_USAGE}
Exit codes: 0 nothing failed at or above --fail-on, 1 failing findings, 2 usage or configuration
error, 3 scan incomplete (something could not be read, or an account could not be scanned),
4 could not run (with --org: no account could be scanned).
`;

/**
 * The credentials of `io.env` when it has an access key and no profile was asked for (so that
 * in-process runs use their own environment), else the SDK's default chain.
 */
export function credentialsFrom(
  env: NodeJS.ProcessEnv,
  profile: string | undefined,
): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN } = env;
  if (!profile && accessKeyId && secretAccessKey) {
    return {
      accessKeyId,
      secretAccessKey,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
    };
  }
  return defaultCredentials(profile);
}

/** A progress line for one collected section, on stderr. */
export function progressLine(prefix: string, event: CollectProgress): string {
  const outcome = event.status === "ok" ? "ok" : `failed: ${event.code}`;
  return `${prefix}${event.section} ${outcome} (${event.durationMs} ms)\n`;
}

export const scanCommand: Command = {
  name: "scan",
  summary: "Scan the account of the current AWS credentials",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs("scan", args, {
      profile: { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
      "save-snapshot": { type: "string" },
      ...ORG_FLAGS,
      ...JUDGE_FLAGS,
      ...OUTPUT_FLAGS,
    });
    if (values.endpoint !== undefined && !/^https?:\/\/[^/]/.test(values.endpoint)) {
      throw new UsageError(`--endpoint takes a URL such as http://127.0.0.1:4566, not "${values.endpoint}".`);
    }
    const plan = planOutput(values, io);
    const judging = resolveJudging(values, io);
    const org = await resolveOrgFlags(values, io);
    if (org && values["save-snapshot"] !== undefined)
      throw new UsageError("--save-snapshot takes one account's snapshot: with --org use --snapshot-dir.");
    const region =
      values.region ??
      io.env.AWS_REGION ??
      io.env.AWS_DEFAULT_REGION ??
      (await resolveRegion(undefined, values.profile));
    const endpoint = values.endpoint ?? io.env.AWS_ENDPOINT_URL;
    if (org) {
      const { report } = await runOrgScan(
        {
          command: "scan",
          settings: org,
          judging,
          credentials: credentialsFrom(io.env, values.profile),
          region,
          ...(endpoint ? { endpoint } : {}),
          progress: plan.quiet ? "none" : "bar",
        },
        io,
      );
      return emitReport("scan", report, plan, judging.failOn, io);
    }

    let snapshot: Awaited<ReturnType<typeof collectAccount>>;
    try {
      snapshot = await collectAccount({
        credentials: credentialsFrom(io.env, values.profile),
        region,
        ...(endpoint ? { endpoint } : {}),
        ...judging.collect,
        ...(plan.quiet
          ? {}
          : { onProgress: (event) => io.stderr.write(progressLine("mfawatch scan: ", event)) }),
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } catch (error) {
      if (error instanceof CollectError) throw new FailureError(`could not scan: ${error.message}`);
      if (io.signal?.aborted)
        throw new FailureError("interrupted before the scan finished; nothing was reported.");
      throw error;
    }

    if (values["save-snapshot"]) {
      try {
        await writeSnapshot(resolve(io.cwd, values["save-snapshot"]), snapshot);
      } catch (error) {
        if (error instanceof SnapshotError) throw new FailureError(error.message);
        throw error;
      }
    }
    const now = new Date();
    const account = judgeSnapshot(snapshot, { ...judging, evaluatedAt: now });
    const report = buildScanReport({ accounts: [account], checks: judging.checks, generatedAt: now });
    return emitReport("scan", report, plan, judging.failOn, io);
  },
};
