/**
 * The configuration file, `mfawatch.config.yaml`: read from the working directory when it exists,
 * or from the path given with `--config` (which must exist). Every key is optional; an unknown
 * key is an error naming the key and its line. See docs/CONFIG.md.
 *
 * ```yaml
 * thresholds:                  # CheckOptions numbers, each a whole number above 0
 *   accessKeyMaxAgeDays: 90
 *   accessKeyUnusedDays: 45
 *   rootRecentUseDays: 90
 *   userMfaGraceDays: 7
 *   passwordMinLength: 14
 *   passwordReusePrevention: 24
 * identityCenter:
 *   mfa: required              # attestation: required | every-sign-in | context-aware
 * checks:
 *   include: [root-mfa-enabled]  # check ids; absent: every check
 *   exclude: []
 * minSeverity: low             # run only checks at or above: critical | high | medium | low | info
 * failOn: high                 # exit 1 on a failing finding at or above this severity
 * suppressions:                # accepted risk: the result stays visible, the score leaves it out
 *   - check: access-key-unused
 *     resource: "arn:aws:iam::123456789012:user/legacy-*"   # optional, `*` matches anything
 *     account: "123456789012"                               # optional
 *     reason: "Decommissioned in Q3"                        # required
 *     expires: 2027-01-01                                   # optional ISO date
 * collect:
 *   cloudTrailDays: 30         # 1..90
 *   userMfaDevices: auto       # auto | all | none
 *   userMfaDeviceLimit: 100
 *   credentialReportTimeoutSeconds: 300
 * ```
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { type CheckOptions, DEFAULT_CHECK_OPTIONS, SEVERITIES, type Severity } from "../checks/types.js";
import { UsageError } from "../cli/errors.js";
import { parseYaml, YamlValidationError } from "../util/yaml.js";

export const DEFAULT_CONFIG_FILE = "mfawatch.config.yaml";

/** A configuration file that cannot be read or is not valid: exit 2, like any usage error. */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const positiveInt = z.number().int("must be a whole number").positive("must be above 0");
const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);

function isoDate(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  if (!match || Number.isNaN(new Date(value).getTime())) return false;
  const day = match[1] as string;
  return new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

function buildSchema(knownCheckIds: readonly string[]) {
  const known = new Set(knownCheckIds);
  const checkId = z.string().refine((id) => known.has(id), {
    error: (issue) =>
      `unknown check id "${String(issue.input)}"; valid ids: ${[...knownCheckIds].sort().join(", ")}`,
  });

  return z.strictObject({
    thresholds: z
      .strictObject({
        accessKeyMaxAgeDays: positiveInt,
        accessKeyUnusedDays: positiveInt,
        rootRecentUseDays: positiveInt,
        userMfaGraceDays: positiveInt,
        passwordMinLength: positiveInt,
        passwordReusePrevention: positiveInt,
      })
      .partial()
      .default({}),
    identityCenter: z
      .strictObject({ mfa: z.enum(["required", "every-sign-in", "context-aware"]).optional() })
      .default({}),
    checks: z
      .strictObject({ include: z.array(checkId).optional(), exclude: z.array(checkId).optional() })
      .default({}),
    minSeverity: severity.optional(),
    failOn: severity.optional(),
    suppressions: z
      .array(
        z.strictObject({
          check: checkId,
          resource: z.string().min(1).optional(),
          account: z
            .string()
            .regex(/^\d{12}$/, "an account id is 12 digits (quote it in YAML)")
            .optional(),
          reason: z
            .string("is required: say why this risk is accepted")
            .trim()
            .min(1, "is required: say why this risk is accepted"),
          expires: z
            .string("must be an ISO date such as 2027-01-01")
            .refine(isoDate, "must be an ISO date such as 2027-01-01")
            .optional(),
        }),
      )
      .default([]),
    collect: z
      .strictObject({
        cloudTrailDays: z.number().int("must be a whole number").min(1).max(90).optional(),
        userMfaDevices: z.enum(["auto", "all", "none"]).optional(),
        userMfaDeviceLimit: positiveInt.optional(),
        credentialReportTimeoutSeconds: positiveInt.optional(),
      })
      .default({}),
  });
}

export type MfawatchConfig = z.output<ReturnType<typeof buildSchema>> & {
  /** The file it was read from, or null when there was none (every default applies). */
  file: string | null;
};

export interface LoadConfigOptions {
  /** The `--config` path (relative to `cwd`); it must exist. */
  file?: string;
  cwd: string;
  /** The registry's check ids, to reject unknown ones in `checks` and `suppressions`. */
  knownCheckIds: string[];
}

/**
 * Reads and validates the configuration. Without `file`, reads `mfawatch.config.yaml` in `cwd`
 * when it exists, and otherwise returns the defaults. Throws ConfigError naming the file, the
 * line and the key for anything wrong.
 */
export function loadConfig(options: LoadConfigOptions): MfawatchConfig {
  const schema = buildSchema(options.knownCheckIds);
  const file = resolve(options.cwd, options.file ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (options.file !== undefined) {
      throw new ConfigError(
        `configuration file ${file} (given with --config) does not exist: check the path, or leave --config out to use ./${DEFAULT_CONFIG_FILE} when there is one.`,
      );
    }
    return { ...schema.parse({}), file: null };
  }

  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`);
  }
  try {
    return { ...parseYaml(text, file, schema), file };
  } catch (error) {
    if (!(error instanceof YamlValidationError)) throw error;
    throw new ConfigError(
      `${file} is not a valid mfawatch configuration:\n${error.problems.map((p) => `  ${p}`).join("\n")}\nSee docs/CONFIG.md for every key.`,
    );
  }
}

/** The options checks read: the defaults, overridden by `thresholds` and `identityCenter.mfa`. */
export function checkOptionsFrom(config: MfawatchConfig): CheckOptions {
  return {
    ...DEFAULT_CHECK_OPTIONS,
    ...config.thresholds,
    identityCenterMfa: config.identityCenter.mfa ?? DEFAULT_CHECK_OPTIONS.identityCenterMfa,
  };
}
