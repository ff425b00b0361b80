/**
 * Scenario files: the state the emulator serves, in YAML, validated with zod.
 *
 * Times are written relative to the moment the scenario is loaded (`400d ago`, `3h ago`, `now`)
 * or as ISO 8601 dates, so scenarios never go stale. `loadScenario` resolves them to Dates.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseYaml, YamlValidationError } from "../util/yaml.js";

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s+ago$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** Resolves `now`, `<n>(s|m|h|d|w) ago` or an ISO 8601 date against `now`; null when unparseable. */
export function resolveTime(value: string, now: Date): Date | null {
  const text = value.trim();
  if (text === "now") return new Date(now.getTime());
  const rel = RELATIVE.exec(text);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number));
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** A time field; resolved against the load time through the zod context. */
function timeSchema(now: Date) {
  return z.string().transform((value, ctx) => {
    const date = resolveTime(value, now);
    if (!date) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a time: write "now", "<n>d ago" (s, m, h, d, w) or an ISO 8601 date`,
      });
      return z.NEVER;
    }
    return date;
  });
}

/** The identity store id an Identity Center instance has when the scenario names none. */
export const DEFAULT_IDENTITY_STORE_ID = "d-9067000000";

const accountId = z.string().regex(/^\d{12}$/, "an account id is 12 digits (quote it in YAML)");
const policyDocument = z.record(z.string(), z.unknown());
const policyMap = z.record(z.string(), policyDocument);

function buildSchema(now: Date) {
  const time = timeSchema(now);

  const mfaDevice = z.strictObject({
    /** virtual (authenticator app), hardware (TOTP token), fido (security key or passkey), sms (legacy). */
    type: z.enum(["virtual", "hardware", "fido", "sms"]),
    /** Device name (virtual, fido) or serial (hardware); defaults are derived from the user. */
    name: z.string().optional(),
    enabled: time,
  });

  const accessKey = z.strictObject({
    id: z
      .string()
      .regex(/^AKIA[A-Z0-9]{16}$/, "an access key id is AKIA followed by 16 letters or digits")
      .optional(),
    active: z.boolean().default(true),
    created: time,
    /** Omitted: never used. */
    lastUsed: time.optional(),
    lastUsedService: z.string().optional(),
    lastUsedRegion: z.string().optional(),
  });

  const certificate = z.strictObject({ active: z.boolean().default(true), created: time });

  /**
   * The console password. `lastUsed`: a time, `never` (credential report `no_information`… see
   * AWS-FACTS: never used prints `no_information`), or `before-2014` (also `no_information`).
   */
  const password = z.strictObject({
    created: time.optional(),
    lastUsed: z.union([z.literal("never"), z.literal("before-2014"), time]).default("never"),
    lastChanged: time.optional(),
    nextRotation: time.optional(),
  });

  const root = z.strictObject({
    /** false: no root password (e.g. removed by centralized root access). */
    password: z.union([z.literal(false), password]).default({ lastUsed: "never" }),
    mfa: z.array(mfaDevice).max(8, "AWS allows at most 8 MFA devices per user").default([]),
    accessKeys: z.array(accessKey).max(2).default([]),
    certificates: z.array(certificate).max(2).default([]),
  });

  const user = z.strictObject({
    name: z.string().regex(/^[\w+=,.@-]{1,64}$/, "IAM user names use letters, digits and +=,.@_-"),
    path: z.string().default("/"),
    created: time,
    password: password.optional(),
    mfa: z.array(mfaDevice).max(8, "AWS allows at most 8 MFA devices per user").default([]),
    accessKeys: z.array(accessKey).max(2, "AWS allows at most 2 access keys per user").default([]),
    certificates: z.array(certificate).max(2).default([]),
    groups: z.array(z.string()).default([]),
    inlinePolicies: policyMap.default({}),
    /** Managed policies by ARN, or by name for the account's own policies. */
    managedPolicies: z.array(z.string()).default([]),
    permissionsBoundary: z.string().optional(),
  });

  const group = z.strictObject({
    name: z.string(),
    path: z.string().default("/"),
    inlinePolicies: policyMap.default({}),
    managedPolicies: z.array(z.string()).default([]),
  });

  const managedPolicy = z.strictObject({
    name: z.string(),
    path: z.string().default("/"),
    document: policyDocument,
  });

  const role = z.strictObject({
    name: z.string(),
    path: z.string().default("/"),
    trustPolicy: policyDocument,
    inlinePolicies: policyMap.default({}),
    managedPolicies: z.array(z.string()).default([]),
    permissionsBoundary: z.string().optional(),
    /** Seconds, 1 to 12 hours: the longest session sts:AssumeRole grants for the role. */
    maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  });

  const passwordPolicy = z.strictObject({
    minimumPasswordLength: z.number().int().min(6).max(128).default(8),
    requireSymbols: z.boolean().default(false),
    requireNumbers: z.boolean().default(false),
    requireUppercaseCharacters: z.boolean().default(false),
    requireLowercaseCharacters: z.boolean().default(false),
    allowUsersToChangePassword: z.boolean().default(false),
    maxPasswordAge: z.number().int().min(1).max(1095).optional(),
    passwordReusePrevention: z.number().int().min(1).max(24).optional(),
    hardExpiry: z.boolean().default(false),
  });

  const configRule = z.strictObject({
    name: z.string(),
    /** The AWS managed rule's source identifier, e.g. ROOT_ACCOUNT_MFA_ENABLED. */
    source: z.string(),
    owner: z.enum(["AWS", "CUSTOM_LAMBDA", "CUSTOM_POLICY"]).default("AWS"),
    region: z.string().default("us-east-1"),
    state: z.enum(["ACTIVE", "DELETING", "DELETING_RESULTS", "EVALUATING"]).default("ACTIVE"),
    compliance: z.enum(["COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"]).optional(),
  });

  /**
   * A CloudTrail event. `name` is the event name; the emulator builds the CloudTrailEvent JSON
   * from the other fields (`user` is an IAM user name or `root`; `target` the user acted upon).
   */
  const trailEvent = z.strictObject({
    name: z.string(),
    time,
    region: z.string().default("us-east-1"),
    user: z.string().default("root"),
    /** The IAM user name the action was done to (userName in requestParameters). */
    target: z.string().optional(),
    serialNumber: z.string().optional(),
    mfaUsed: z.boolean().optional(),
    success: z.boolean().default(true),
    sourceIp: z.string().default("198.51.100.7"),
    /** Identity Center sign-in: credential types used, e.g. [PASSWORD, TOTP]. */
    credentialTypes: z
      .array(z.enum(["PASSWORD", "TOTP", "WEBAUTHN", "EXTERNAL_IDP", "RESYNC_TOTP"]))
      .optional(),
    authWorkflowId: z.string().optional(),
    /** Identity Center sign-in identity: overrides the account's identityCenter.identityFormat. */
    identityFormat: z.enum(["legacy", "current"]).optional(),
  });

  const identityCenter = z.strictObject({
    region: z.string().default("us-east-1"),
    instanceId: z
      .string()
      .regex(/^[a-z0-9]{16}$/)
      .default("7223a2e6b1c1d3e4"),
    identityStoreId: z.string().default(DEFAULT_IDENTITY_STORE_ID),
    users: z.array(z.string()).default([]),
    /**
     * How CloudTrail names the user of an Identity Center sign-in: `current` (since July 2025:
     * type IdentityCenterUser, onBehalfOf.userId and identityStoreArn, no user name) or `legacy`
     * (type Unknown with userName).
     */
    identityFormat: z.enum(["legacy", "current"]).default("current"),
  });

  const credentialReport = z.strictObject({
    /** Seconds from GenerateCredentialReport until the report is COMPLETE. */
    delaySeconds: z.number().min(0).default(0.2),
    /** Some emulators omit the root row: reproduce it. */
    omitRootRow: z.boolean().default(false),
    trailingNewline: z.boolean().default(true),
    /** The root row's password_enabled: not_supported (historical), or true/false (recent reports). */
    rootPasswordEnabled: z.enum(["not_supported", "actual"]).default("not_supported"),
    /** Booleans in upper case (TRUE/FALSE), as AWS documents them. */
    upperCaseBooleans: z.boolean().default(false),
  });

  const fault = z
    .strictObject({
      /** `iam:GetCredentialReport`, `iam:*`, or `*`. */
      operation: z.string().regex(/^(\*|[a-z0-9-]+:(\*|[A-Za-z0-9]+))$/),
      kind: z.enum([
        "AccessDenied",
        "Throttling",
        "InternalError",
        "Http500NonAws",
        "LimitExceeded",
        "Latency",
      ]),
      /** For Latency: added milliseconds. */
      latencyMs: z.number().min(0).default(0),
      /** Fail only this many times, then succeed; omitted: always. */
      times: z.number().int().min(1).optional(),
    })
    .refine((f) => f.kind !== "LimitExceeded" || f.operation.startsWith("iam:"), {
      message: "LimitExceeded is an IAM error: use it on an iam: operation",
    });

  const throttle = z.strictObject({
    /** Tokens per second per account and service. */
    ratePerSecond: z.number().positive(),
    burst: z.number().int().positive(),
  });

  const account = z.strictObject({
    id: accountId,
    name: z.string(),
    email: z.string().optional(),
    status: z.enum(["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"]).default("ACTIVE"),
    /** The parent OU id (or omitted for the root). */
    parent: z.string().optional(),
    /** Access key id (AKIA…) the account's credentials use; derived from the id when omitted. */
    accessKeyId: z.string().optional(),
    regions: z
      .array(z.string())
      .default(["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"]),
    root: root.default({ password: { lastUsed: "never" }, mfa: [], accessKeys: [], certificates: [] }),
    users: z.array(user).default([]),
    groups: z.array(group).default([]),
    policies: z.array(managedPolicy).default([]),
    roles: z.array(role).default([]),
    passwordPolicy: passwordPolicy.optional(),
    /** Names of virtual MFA devices created but assigned to nobody. */
    unassignedMfaDevices: z.array(z.string()).default([]),
    oidcProviders: z.array(z.string()).default([]),
    samlProviders: z.array(z.string()).default([]),
    configRules: z.array(configRule).default([]),
    cloudTrail: z.array(trailEvent).default([]),
    identityCenter: identityCenter.optional(),
    credentialReport: credentialReport.default({
      delaySeconds: 0.2,
      omitRootRow: false,
      trailingNewline: true,
      rootPasswordEnabled: "not_supported",
      upperCaseBooleans: false,
    }),
    faults: z.array(fault).default([]),
    throttle: throttle.optional(),
    latency: z.strictObject({ ms: z.number().min(0), jitterMs: z.number().min(0).default(0) }).optional(),
  });

  const scp = z.strictObject({
    id: z.string().regex(/^p-[0-9a-z]{8,128}$/),
    name: z.string(),
    document: policyDocument,
    /** Account ids, OU ids or the root id the policy is attached to. */
    targets: z.array(z.string()).min(1),
  });

  const organization = z.strictObject({
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/),
    rootId: z
      .string()
      .regex(/^r-[0-9a-z]{4,32}$/)
      .default("r-root"),
    managementAccount: accountId,
    featureSet: z.enum(["ALL", "CONSOLIDATED_BILLING"]).default("ALL"),
    /** Centralized root access features enabled (iam:ListOrganizationsFeatures). */
    rootFeatures: z.array(z.enum(["RootCredentialsManagement", "RootSessions"])).default([]),
    ous: z
      .array(
        z.strictObject({ id: z.string().regex(/^ou-/), name: z.string(), parent: z.string().optional() }),
      )
      .default([]),
    scps: z.array(scp).default([]),
    delegatedAdministrators: z.array(accountId).default([]),
    /** AWS Config organization rules (config:DescribeOrganizationConfigRules from the management account). */
    configRules: z
      .array(
        z.strictObject({
          name: z.string(),
          /** The AWS managed rule identifier, e.g. ROOT_ACCOUNT_MFA_ENABLED. */
          source: z.string(),
          region: z.string().default("us-east-1"),
          excludedAccounts: z.array(accountId).default([]),
        }),
      )
      .default([]),
  });

  return z.strictObject({
    name: z.string(),
    description: z.string().optional(),
    organization: organization.optional(),
    accounts: z.array(account).min(1),
    /** Defaults for every account, overridable per account. */
    latency: z.strictObject({ ms: z.number().min(0), jitterMs: z.number().min(0).default(0) }).optional(),
    throttle: throttle.optional(),
  });
}

export type Scenario = z.output<ReturnType<typeof buildSchema>>;
export type ScenarioAccount = Scenario["accounts"][number];
export type ScenarioUser = ScenarioAccount["users"][number];
export type ScenarioRoot = ScenarioAccount["root"];
export type ScenarioMfaDevice = ScenarioUser["mfa"][number];
export type ScenarioAccessKey = ScenarioUser["accessKeys"][number];
export type ScenarioTrailEvent = ScenarioAccount["cloudTrail"][number];
export type ScenarioFault = ScenarioAccount["faults"][number];
export type ScenarioOrganization = NonNullable<Scenario["organization"]>;

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Validates a parsed scenario object, resolving times against `now`. */
export function parseScenario(input: unknown, now: Date = new Date(), source = "scenario"): Scenario {
  const result = buildSchema(now).safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new ScenarioError(`${source} is not a valid scenario:\n${lines.join("\n")}`);
  }
  checkReferences(result.data, source);
  return result.data;
}

/** Reads and validates a YAML scenario file; errors name the file, the line and the key. */
export function loadScenario(file: string, now: Date = new Date()): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  let scenario: Scenario;
  try {
    scenario = parseYaml(text, file, buildSchema(now));
  } catch (error) {
    if (!(error instanceof YamlValidationError)) throw error;
    throw new ScenarioError(
      `${file} is not a valid scenario:\n${error.problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
  checkReferences(scenario, file);
  return scenario;
}

function checkReferences(scenario: Scenario, source: string): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const account of scenario.accounts) {
    if (ids.has(account.id)) problems.push(`account ${account.id} appears twice`);
    ids.add(account.id);
    const groups = new Set(account.groups.map((g) => g.name));
    for (const user of account.users) {
      for (const g of user.groups) {
        if (!groups.has(g))
          problems.push(`account ${account.id}: user ${user.name} is in unknown group ${g}`);
      }
    }
  }
  const org = scenario.organization;
  if (org && !ids.has(org.managementAccount)) {
    problems.push(`organization.managementAccount ${org.managementAccount} is not one of the accounts`);
  }
  if (problems.length > 0) {
    throw new ScenarioError(
      `${source} is not a valid scenario:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
}
