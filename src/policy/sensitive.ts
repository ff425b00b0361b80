/** What long-term access keys (no MFA possible) may do of the sensitive probes. */
import type { NamedPolicy, PrincipalPolicies } from "./principal.js";
import { sensitiveProbes } from "./probes.js";
import { type StatementRef, simulate, statements, type Verdict } from "./simulate.js";

export interface KeyVerdict {
  verdict: Verdict;
  /**
   * A Deny on `aws:MultiFactorAuthPresent` written with `Bool`: it denies this action in a session
   * without MFA but, as the key is absent for long-term keys, not here. `BoolIfExists` would.
   */
  boolDeny: StatementRef | null;
}

function hasBoolMfaCondition(statement: Record<string, unknown>): boolean {
  const condition = statement.Condition;
  if (!condition || typeof condition !== "object") return false;
  const bool = Object.entries(condition).find(([op]) => op.toLowerCase() === "bool")?.[1];
  return (
    !!bool &&
    typeof bool === "object" &&
    Object.keys(bool).some((key) => key.toLowerCase() === "aws:multifactorauthpresent")
  );
}

function isBoolDeny(policies: NamedPolicy[], ref: StatementRef): boolean {
  const policy = policies.find((p) => p.ref.name === ref.name && p.ref.attachedVia === ref.attachedVia);
  const statement = policy ? statements(policy.document)[ref.index] : undefined;
  return !!statement && hasBoolMfaCondition(statement);
}

/** The sensitive probes that `principal`'s long-term access keys may perform. */
export function keySensitiveActions(principal: PrincipalPolicies): KeyVerdict[] {
  const all = [
    ...principal.identity,
    ...(principal.boundary ? [principal.boundary] : []),
    ...(principal.scps.state === "applied" ? principal.scps.levels.flatMap((l) => l.policies) : []),
  ];
  return sensitiveProbes(principal.accountId)
    .map((probe) => simulate(principal, probe, "long-term-key"))
    .filter((v) => v.decision === "Allowed")
    .map((verdict) => {
      const session = simulate(principal, verdict, "no-mfa");
      const deny = session.deniedBy;
      return { verdict, boolDeny: deny && isBoolDeny(all, deny) ? deny : null };
    });
}
