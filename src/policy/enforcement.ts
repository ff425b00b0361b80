/** Is MFA enforced for a console user? See docs/POLICY-SIMULATION.md. */
import type { PrincipalPolicies } from "./principal.js";
import { selfServiceProbes, sensitiveProbes } from "./probes.js";
import { simulate, type Verdict } from "./simulate.js";

export type Enforcement =
  /** Every sensitive probe is denied without MFA, allowed for some with MFA, and self-service stays open. */
  | { outcome: "enforced"; denied: Verdict[] }
  /** A sensitive probe is allowed without MFA (the first one found). */
  | { outcome: "not-enforced"; allowed: Verdict }
  /** Enforced, but a self-service action is denied without MFA, so the user cannot enrol. */
  | { outcome: "lockout"; denied: Verdict }
  /** No sensitive probe is allowed even with MFA: there is nothing to enforce. */
  | { outcome: "nothing-to-enforce"; denied: Verdict[] };

export function mfaEnforcement(user: PrincipalPolicies): Enforcement {
  const probes = sensitiveProbes(user.accountId);
  const withoutMfa = probes.map((p) => simulate(user, p, "no-mfa"));
  const allowed = withoutMfa.find((v) => v.decision === "Allowed");
  if (allowed) return { outcome: "not-enforced", allowed };
  if (!probes.some((p) => simulate(user, p, "mfa").decision === "Allowed")) {
    return { outcome: "nothing-to-enforce", denied: withoutMfa };
  }
  const blocked = selfServiceProbes(user)
    .map((p) => simulate(user, p, "no-mfa"))
    .find((v) => v.decision !== "Allowed");
  return blocked ? { outcome: "lockout", denied: blocked } : { outcome: "enforced", denied: withoutMfa };
}
