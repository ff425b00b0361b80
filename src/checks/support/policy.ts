import { type ScpState, scpState } from "../../policy/principal.js";
import type { CheckContext } from "../types.js";

/** Which SCPs take part in simulations, from the optional `serviceControlPolicies` and `organization` sections. */
export function scpsOf(ctx: CheckContext): ScpState {
  return scpState(ctx.section("serviceControlPolicies"), ctx.section("organization"), ctx.accountId);
}

/** The clause a FAIL adds when SCPs might have denied what identity policies allow. */
export function scpCaveat(scps: ScpState): string {
  return scps.state === "unreadable"
    ? ` SCPs were not evaluated and might still deny it: ${scps.reason}.`
    : "";
}

/** Why a principal's policies could not be evaluated, for an unknown result. */
export function missingPolicies(missing: string[]): string {
  return `the snapshot lacks ${missing.join(", ")}; collect GetAccountAuthorizationDetails with every policy filter to evaluate it`;
}
