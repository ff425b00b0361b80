/** Is MFA enforced for a console user? See docs/POLICY-SIMULATION.md. */
import type { PrincipalPolicies } from "./principal.js";
import { actionProbes, selfServiceProbes } from "./probes.js";
import { isAllowed, isDenied, type Session, simulate, type Verdict } from "./simulate.js";

/** The probes denied without MFA: the first, which evidence shows, and how many. */
export interface DeniedProbes {
  first: Verdict;
  count: number;
}

export type Enforcement =
  /** Every probe is denied without MFA, allowed for some with MFA, and self-service stays open. */
  | { outcome: "enforced"; denied: DeniedProbes }
  /** A probe is allowed without MFA (the first one found), in a console session or with an access key. */
  | { outcome: "not-enforced"; allowed: Verdict }
  /** Enforced, but a self-service action is denied without MFA, so a user without MFA cannot enrol. */
  | { outcome: "lockout"; denied: Verdict }
  /** No probe is allowed even with MFA: there is nothing to enforce. */
  | { outcome: "nothing-to-enforce"; denied: DeniedProbes }
  /** A verdict that decides the outcome depends on condition keys a scan cannot know. */
  | { outcome: "undetermined"; verdict: Verdict };

export interface EnforcementOptions {
  /** The user has an active access key: requests signed with it (no MFA key) are probed too. */
  activeKeys?: boolean;
  /** The user has MFA already, so a self-service denial cannot lock them out. */
  hasMfa?: boolean;
}

/**
 * Probes are the fixed sensitive set and what the user's own Allow statements grant
 * (`actionProbes`); MFA is enforced only when each is surely denied without MFA.
 */
export function mfaEnforcement(user: PrincipalPolicies, options: EnforcementOptions = {}): Enforcement {
  const probes = actionProbes(user);
  const sessions: Session[] = options.activeKeys ? ["no-mfa", "long-term-key"] : ["no-mfa"];
  const withoutMfa: Verdict[] = [];
  for (const session of sessions) {
    for (const probe of probes) {
      const verdict = simulate(user, probe, session);
      if (isAllowed(verdict)) return { outcome: "not-enforced", allowed: verdict };
      withoutMfa.push(verdict);
    }
  }
  const unclear = withoutMfa.find((v) => !isDenied(v));
  if (unclear) return { outcome: "undetermined", verdict: unclear };
  const deniedInSession = withoutMfa.filter((v) => v.session === "no-mfa");
  // The probes always include the fixed sensitive set, so at least one was denied.
  const denied = { first: deniedInSession[0] as Verdict, count: deniedInSession.length };
  if (probes.every((p) => isDenied(simulate(user, p, "mfa")))) {
    return { outcome: "nothing-to-enforce", denied };
  }
  if (options.hasMfa) return { outcome: "enforced", denied };
  const selfService = selfServiceProbes(user).map((p) => simulate(user, p, "no-mfa"));
  const blocked = selfService.find(isDenied);
  if (blocked) return { outcome: "lockout", denied: blocked };
  const open = selfService.find((v) => !isAllowed(v));
  return open ? { outcome: "undetermined", verdict: open } : { outcome: "enforced", denied };
}
