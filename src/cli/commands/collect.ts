import { defaultCredentials, resolveRegion } from "../../aws/credentials.js";
import { CollectError, collectAccount, type UserMfaDevicesMode } from "../../collect/collectAccount.js";
import { SnapshotError, serializeSnapshot, writeSnapshot } from "../../snapshot/io.js";
import { SECTION_NAMES } from "../../snapshot/types.js";
import { parseCommandArgs, positiveInt } from "../args.js";
import { EXIT, FailureError, UsageError } from "../errors.js";
import type { Command } from "../io.js";

const MODES: readonly UserMfaDevicesMode[] = ["auto", "all", "none"];

const usage = `Usage: mfawatch collect [options]

Reads one AWS account into a snapshot (JSON). Credentials come from the AWS default chain
(environment, shared config and credentials files, SSO, container or instance metadata).

Options:
  --out FILE                  write the snapshot to FILE (default: stdout)
  --profile P                 use the AWS profile P
  --region R                  collection region (default: AWS_REGION, the profile's, us-east-1)
  --endpoint URL              send every AWS call to URL (e.g. the mfawatch emulator);
                              AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> also work
  --cloudtrail-days N         days of CloudTrail history to read, 1-90 (default 30)
  --user-mfa-devices MODE     ListMFADevices for users with a virtual MFA device:
                              auto (at most 100 users, default), all, none
  --quiet                     no progress lines, only errors

Exit codes: 0 every section read, 3 some sections could not be read, 4 no credentials or AWS
unreachable or the file cannot be written.
`;

export const collectCommand: Command = {
  name: "collect",
  summary: "Read one AWS account into a snapshot file",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs("collect", args, {
      out: { type: "string" },
      profile: { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
      "cloudtrail-days": { type: "string" },
      "user-mfa-devices": { type: "string" },
      quiet: { type: "boolean" },
    });
    const days = positiveInt("cloudtrail-days", values["cloudtrail-days"], 30);
    if (days > 90)
      throw new UsageError("--cloudtrail-days is at most 90: CloudTrail event history keeps 90 days.");
    const mode = (values["user-mfa-devices"] ?? "auto") as UserMfaDevicesMode;
    if (!MODES.includes(mode)) {
      throw new UsageError(
        `--user-mfa-devices takes auto, all or none, not "${values["user-mfa-devices"]}".`,
      );
    }
    if (values.endpoint !== undefined && !/^https?:\/\/[^/]/.test(values.endpoint)) {
      throw new UsageError(`--endpoint takes a URL such as http://127.0.0.1:4566, not "${values.endpoint}".`);
    }
    const say = (line: string) => {
      if (!values.quiet) io.stderr.write(`${line}\n`);
    };
    const region = await resolveRegion(values.region ?? io.env.AWS_REGION, values.profile);

    let snapshot: Awaited<ReturnType<typeof collectAccount>>;
    try {
      snapshot = await collectAccount({
        credentials: defaultCredentials(values.profile),
        region,
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
        cloudTrailDays: days,
        userMfaDevices: mode,
        ...(io.signal ? { signal: io.signal } : {}),
        onProgress: (p) =>
          say(
            p.status === "ok"
              ? `  ok     ${p.section} (${(p.durationMs / 1000).toFixed(1)} s)`
              : `  error  ${p.section}: ${p.code}`,
          ),
      });
    } catch (error) {
      if (error instanceof CollectError) throw new FailureError(error.message);
      if (io.signal?.aborted) throw new FailureError("interrupted: no snapshot was written.");
      throw error;
    }

    if (values.out) {
      try {
        await writeSnapshot(values.out, snapshot);
      } catch (error) {
        if (error instanceof SnapshotError) throw new FailureError(error.message);
        throw error;
      }
    } else {
      io.stdout.write(serializeSnapshot(snapshot));
    }

    const errors = SECTION_NAMES.flatMap((name) => {
      const section = snapshot.sections[name];
      return section.status === "error" ? [{ name, ...section.error }] : [];
    });
    say(
      `collected account ${snapshot.accountId} in ${region}: ${SECTION_NAMES.length - errors.length} of ${SECTION_NAMES.length} sections ok${values.out ? `, written to ${values.out}` : ""}`,
    );
    for (const e of errors) {
      io.stderr.write(`  ${e.name}: ${e.code}${e.operation ? ` (${e.operation})` : ""}: ${e.message}\n`);
    }
    return errors.length === 0 ? EXIT.ok : EXIT.incomplete;
  },
};
