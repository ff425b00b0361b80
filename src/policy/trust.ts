/**
 * Who among IAM users can assume a role, and whether the trust policy demands MFA. Trust
 * statements are matched to a principal here, then evaluated as identity statements on
 * `sts:AssumeRole` for the role (their conditions are what matters).
 */
import type { AuthRole } from "../snapshot/types.js";
import { accountOf, type NamedPolicy, type PrincipalPolicies } from "./principal.js";
import {
  isAllowed,
  type Session,
  type StatementRef,
  simulate,
  statements,
  type Verdict,
} from "./simulate.js";

/** An IAM user the trust policy names: a user ARN, every user of an account, or anyone (`*`). */
export interface TrustedUser {
  /** As written in the trust policy. */
  principal: string;
  /** The user the simulation signs as. */
  userArn: string;
}

export interface AssumeVerdict extends TrustedUser {
  /** The first signing without MFA that may assume the role, or null when both are refused. */
  withoutMfa: Verdict | null;
  /**
   * When neither signing is surely allowed: the first one that conditions on keys a scan cannot
   * know (`sts:ExternalId`, `aws:SourceIp`, …) decide, so the trust policy's refusal may not be
   * about MFA. Null when both are refused whatever those keys are.
   */
  uncertain: Verdict | null;
  /** The trust statements that name this principal. */
  statements: StatementRef[];
}

const ANYONE_ACCOUNT = "999999999999";

function awsPrincipals(value: unknown): string[] {
  if (value === "*") return ["*"];
  if (!value || typeof value !== "object") return [];
  const aws = (value as Record<string, unknown>).AWS;
  if (typeof aws === "string") return [aws];
  return Array.isArray(aws) ? aws.filter((a): a is string => typeof a === "string") : [];
}

/** Users a principal entry stands for: null when it is not an IAM user or an account. */
function asUser(entry: string): string | null {
  if (entry === "*") return `arn:aws:iam::${ANYONE_ACCOUNT}:user/mfawatch-probe`;
  if (/^\d{12}$/.test(entry)) return `arn:aws:iam::${entry}:user/mfawatch-probe`;
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry);
  if (root) return `arn:aws:iam::${root[1]}:user/mfawatch-probe`;
  return /^arn:aws[a-z-]*:iam::\d{12}:user\//.test(entry) ? entry : null;
}

function names(entries: string[], userArn: string): boolean {
  const account = accountOf(userArn);
  return entries.some(
    (e) =>
      e === "*" ||
      e === userArn ||
      e === account ||
      new RegExp(`^arn:aws[a-z-]*:iam::${account}:root$`).test(e),
  );
}

/** Whether `statement` applies to `userArn` by its Principal or NotPrincipal. */
function applies(statement: Record<string, unknown>, userArn: string): boolean {
  if ("NotPrincipal" in statement) return !names(awsPrincipals(statement.NotPrincipal), userArn);
  return names(awsPrincipals(statement.Principal), userArn);
}

/**
 * The trust statements that apply to `callerArn`, as an identity policy of a caller signing in
 * `region` (their conditions are what matters), or null when none names it.
 */
function trustCaller(
  role: AuthRole,
  callerArn: string,
  region: string,
): { caller: PrincipalPolicies; refs: StatementRef[] } | null {
  const matching = statements(role.assumeRolePolicyDocument)
    .map((statement, index) => ({ statement, index }))
    .filter(({ statement }) => applies(statement, callerArn));
  if (!matching.some(({ statement }) => statement.Effect === "Allow")) return null;
  const policy: NamedPolicy = {
    ref: { name: "trust policy", arn: role.arn, attachedVia: `role ${role.roleName} trust` },
    document: {
      Version: "2012-10-17",
      Statement: matching.map(({ statement }) => ({
        ...Object.fromEntries(
          Object.entries(statement).filter(([k]) => k !== "Principal" && k !== "NotPrincipal"),
        ),
        Resource: role.arn,
      })),
    },
  };
  const caller: PrincipalPolicies = {
    kind: "user",
    name: callerArn.split("/").pop() ?? "",
    arn: callerArn,
    accountId: accountOf(callerArn),
    region,
    identity: [policy],
    boundary: null,
    scps: { state: "none", reason: "the trust policy alone is evaluated" },
  };
  const refs = matching.map(({ statement, index }) => ({
    ...policy.ref,
    sid: typeof statement.Sid === "string" ? statement.Sid : null,
    index,
  }));
  return { caller, refs };
}

/** `verdict` with statement references into the trust policy itself. */
function inTrust(verdict: Verdict, refs: StatementRef[]): Verdict {
  const ref = (r: StatementRef) => refs[r.index] ?? r;
  return {
    ...verdict,
    allowedBy: verdict.allowedBy.map(ref),
    deniedBy: verdict.deniedBy ? ref(verdict.deniedBy) : null,
    dependsOn: verdict.dependsOn.map((d) => ({ ...d, statement: ref(d.statement) })),
  };
}

/** Whether the role's trust policy lets `principal` (of the same account) assume it as `session`; null when it names it nowhere. */
export function trustVerdict(role: AuthRole, principal: PrincipalPolicies, session: Session): Verdict | null {
  const trust = trustCaller(role, principal.arn, principal.region);
  return trust
    ? inTrust(simulate(trust.caller, { action: "sts:AssumeRole", resource: role.arn }, session), trust.refs)
    : null;
}

/**
 * The IAM users that the role's trust policy names, and whether each may assume it without MFA.
 * `region` is the region the caller signs for (the collection region).
 */
export function assumeWithoutMfa(role: AuthRole, region = "us-east-1"): AssumeVerdict[] {
  const trust = statements(role.assumeRolePolicyDocument);
  const entries = [
    ...new Set(trust.filter((s) => s.Effect === "Allow").flatMap((s) => awsPrincipals(s.Principal))),
  ];
  return entries.flatMap((principal) => {
    const userArn = asUser(principal);
    const resolved = userArn ? trustCaller(role, userArn, region) : null;
    if (!userArn || !resolved) return [];
    const sessions: Session[] = ["long-term-key", "no-mfa"];
    const verdicts = sessions.map((session) =>
      inTrust(
        simulate(resolved.caller, { action: "sts:AssumeRole", resource: role.arn }, session),
        resolved.refs,
      ),
    );
    const withoutMfa = verdicts.find(isAllowed) ?? null;
    const uncertain = withoutMfa ? null : (verdicts.find((v) => v.dependsOn.length > 0) ?? null);
    return [{ principal, userArn, withoutMfa, uncertain, statements: resolved.refs }];
  });
}
