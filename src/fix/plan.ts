/**
 * The remediation plan for one account: a pure function of its snapshot and check results.
 * Only the policy-and-group part is ever applied (see apply.ts); the rest is advice.
 */
import type { CheckResult } from "../checks/types.js";
import { forceMfaPolicy } from "../policy/forceMfaPolicy.js";
import type { AccountSnapshot, PolicyDocument } from "../snapshot/types.js";

export interface FixOptions {
  policyName: string;
  groupName: string;
}

export const DEFAULT_FIX_OPTIONS: FixOptions = {
  policyName: "mfawatch-force-mfa",
  groupName: "mfawatch-mfa-required",
};

export interface KeyAction {
  user: string;
  /** `<user arn>#access_key_<n>`, or the root ARN's. */
  resource: string;
  action: "rotate" | "remove";
  /** The failing results that call for it: `<check id>: <message>`. */
  reasons: string[];
}

export interface ConfigRuleAdvice {
  /** The rule name to deploy (the managed rule's kebab-case id). */
  name: string;
  sourceIdentifier: string;
  status: "missing" | "present" | "unknown";
}

export interface FixPlan {
  accountId: string;
  partition: string;
  collectedAt: string;
  policy: { name: string; arn: string; document: PolicyDocument; existsInSnapshot: boolean };
  group: { name: string; existsInSnapshot: boolean; members: string[] };
  /** Console users without MFA, to ask to enrol a device. */
  enrol: string[];
  keys: KeyAction[];
  configRules: ConfigRuleAdvice[];
  /** What the plan could not see (sections in error). */
  gaps: string[];
  /** Consequences to know before applying. */
  warnings: string[];
}

const MFA_RULES: [string, string][] = [
  ["ROOT_ACCOUNT_MFA_ENABLED", "root-account-mfa-enabled"],
  ["ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", "root-account-hardware-mfa-enabled"],
  ["IAM_USER_MFA_ENABLED", "iam-user-mfa-enabled"],
  ["MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", "mfa-enabled-for-iam-console-access"],
];

/** Checks whose failing keys should be deleted rather than rotated. */
const REMOVE = new Set([
  "access-key-unused",
  "access-key-console-user",
  "root-access-keys",
  "access-key-multiple-active",
]);

/** The user name in a key resource (`…:user/path/alice#access_key_1` → alice), `<root_account>` for root. */
function keyOwner(resource: string): string {
  const arn = resource.split("#")[0] ?? resource;
  return arn.endsWith(":root") ? "<root_account>" : arn.slice(arn.lastIndexOf("/") + 1);
}

function keyActions(results: readonly CheckResult[]): KeyAction[] {
  const byResource = new Map<string, KeyAction>();
  for (const r of results) {
    const isKey = r.resource.includes("#access_key_") || r.checkId === "root-access-keys";
    if (r.status !== "fail" || r.suppressed || !isKey) continue;
    const entry = byResource.get(r.resource) ?? {
      user: keyOwner(r.resource),
      resource: r.resource,
      action: "rotate" as const,
      reasons: [],
    };
    if (REMOVE.has(r.checkId)) entry.action = "remove";
    entry.reasons.push(`${r.checkId}: ${r.message}`);
    byResource.set(r.resource, entry);
  }
  return [...byResource.values()].sort((a, b) => a.resource.localeCompare(b.resource));
}

export function buildFixPlan(
  snapshot: AccountSnapshot,
  results: readonly CheckResult[],
  options: FixOptions = DEFAULT_FIX_OPTIONS,
): FixPlan {
  const { sections, accountId, partition } = snapshot;
  const gaps: string[] = [];
  const gap = (name: string, section: { status: "error"; error: { code: string; message: string } }) =>
    gaps.push(`${name}: ${section.error.code}: ${section.error.message}`);

  const report = sections.credentialReport;
  const consoleUsers =
    report.status === "ok" ? report.data.users.filter((u) => u.passwordEnabled === true) : [];
  if (report.status === "error") gap("credentialReport (console users and their MFA unknown)", report);

  const details = sections.authorizationDetails;
  if (details.status === "error") gap("authorizationDetails (existing policies and groups unknown)", details);
  const localPolicies = details.status === "ok" ? details.data.policies : [];
  const groups = details.status === "ok" ? details.data.groups : [];

  const config = sections.configRules;
  if (config.status === "error") gap("configRules (deployed AWS Config rules unknown)", config);
  const configRules = MFA_RULES.map(([sourceIdentifier, name]): ConfigRuleAdvice => {
    if (config.status === "error") return { name, sourceIdentifier, status: "unknown" };
    const present = config.data.rules.some(
      (r) => r.sourceIdentifier === sourceIdentifier && r.state === "ACTIVE",
    );
    return { name, sourceIdentifier, status: present ? "present" : "missing" };
  });

  const policyArn = `arn:${partition}:iam::${accountId}:policy/${options.policyName}`;
  return {
    accountId,
    partition,
    collectedAt: snapshot.collectedAt,
    policy: {
      name: options.policyName,
      arn: policyArn,
      document: forceMfaPolicy(),
      existsInSnapshot: localPolicies.some((p) => p.arn === policyArn),
    },
    group: {
      name: options.groupName,
      existsInSnapshot: groups.some((g) => g.groupName === options.groupName),
      members: consoleUsers.map((u) => u.user).sort(),
    },
    enrol: consoleUsers
      .filter((u) => u.mfaActive !== true)
      .map((u) => u.user)
      .sort(),
    warnings: consoleUsers.flatMap((u) => {
      const keys = u.accessKeys.flatMap((k, i) => (k.active === true ? [i + 1] : []));
      return keys.length > 0
        ? [
            `${u.user} has active access key ${keys.join(" and ")}: once in ${options.groupName}, requests signed with it are denied except MFA self-service (BoolIfExists); move what uses it to a role first.`,
          ]
        : [];
    }),
    keys: keyActions(results),
    configRules,
    gaps,
  };
}
