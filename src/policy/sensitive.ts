/** What long-term access keys (no MFA possible) may do of the probes of `actionProbes`. */
import type { NamedPolicy, PrincipalPolicies } from "./principal.js";
import { actionProbes } from "./probes.js";
import { isAllowed, isDenied, type StatementRef, simulate, statements, type Verdict } from "./simulate.js";

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

/** How many verdicts of each kind `KeyActions` keeps as examples; the rest are counted. */
export const KEY_EXAMPLES = 10;

export interface KeyActions {
  /** The first probes (at most `KEY_EXAMPLES`) the keys may surely perform. */
  allowed: KeyVerdict[];
  /** How many probes the keys may surely perform. */
  allowedCount: number;
  /** The first Deny written with `Bool` among every allowed probe. */
  boolDeny: StatementRef | null;
  /** The first probes (at most `KEY_EXAMPLES`) whose outcome depends on condition keys a scan cannot know. */
  uncertain: Verdict[];
  uncertainCount: number;
}

/** The probes (fixed and drawn from its own Allow statements) that `principal`'s long-term access keys may perform. */
export function keySensitiveActions(principal: PrincipalPolicies): KeyActions {
  const all = [
    ...principal.identity,
    ...(principal.boundary ? [principal.boundary] : []),
    ...(principal.scps.state === "applied" ? principal.scps.levels.flatMap((l) => l.policies) : []),
  ];
  const verdicts = actionProbes(principal).map((probe) => simulate(principal, probe, "long-term-key"));
  const allowed = verdicts.filter(isAllowed).map((verdict) => {
    const deny = simulate(principal, verdict, "no-mfa").deniedBy;
    return { verdict, boolDeny: deny && isBoolDeny(all, deny) ? deny : null };
  });
  const uncertain = verdicts.filter((v) => !isAllowed(v) && !isDenied(v));
  return {
    allowed: allowed.slice(0, KEY_EXAMPLES),
    allowedCount: allowed.length,
    boolDeny: allowed.find((a) => a.boolDeny)?.boolDeny ?? null,
    uncertain: uncertain.slice(0, KEY_EXAMPLES),
    uncertainCount: uncertain.length,
  };
}
