/**
 * Is a principal effectively an administrator? Four rules, each by simulation:
 * 1. full access: every probe of `fullAccessProbes` is allowed;
 * 2. IAM write: it can write a policy on itself, its groups or a managed policy, join an
 *    administrators' group, rewrite an administrator role's trust policy, or take over or grant
 *    to another user (see `iamWriteProbes`);
 * 3. PassRole with a way to run code: `iam:PassRole` and any of `runCodeProbes`;
 * 4. assume an administrator role of the same account: its own policies allow `sts:AssumeRole`
 *    on the role and the role's trust policy admits it.
 * Administrator groups and roles (for rules 2 and 4) are those that meet rules 1–3 themselves.
 */
import type { AuthorizationDetails, AuthRole } from "../snapshot/types.js";
import { groupPolicies, type PrincipalPolicies, rolePolicies, type ScpState } from "./principal.js";
import { fullAccessProbes, iamWriteProbes, passRoleProbe, runCodeProbes } from "./probes.js";
import { type Dependency, isAllowed, type Probe, type Session, simulate, type Verdict } from "./simulate.js";
import { trustVerdict } from "./trust.js";

export type AdminRule = "full-access" | "iam-write" | "passrole-and-compute" | "assume-admin-role";

export interface AdminPath {
  rule: AdminRule;
  /** The allowed requests the rule rests on. */
  verdicts: Verdict[];
  /** Non-empty when the rule holds only if these conditions on unknown keys let it. */
  dependsOn: Dependency[];
}

/** Groups and roles of the account that are administrators by rules 1–3. */
export interface AdminTargets {
  groups: string[];
  roles: AuthRole[];
}

const possible = (v: Verdict) => v.decision === "Allowed" || v.dependsOn.length > 0;

/** A rule that needs one allowed verdict from each clause: definite, possible, or null. */
function holds(rule: AdminRule, clauses: Verdict[][]): AdminPath | null {
  if (clauses.every((c) => c.some(isAllowed))) {
    return { rule, verdicts: clauses.map((c) => c.find(isAllowed) as Verdict), dependsOn: [] };
  }
  if (!clauses.every((c) => c.some(possible))) return null;
  const verdicts = clauses.map((c) => c.find(isAllowed) ?? (c.find(possible) as Verdict));
  return { rule, verdicts, dependsOn: verdicts.flatMap((v) => v.dependsOn) };
}

/** The definite path, else the first possible one. */
const best = (paths: (AdminPath | null)[]): AdminPath | null =>
  paths.find((p) => p && p.dependsOn.length === 0) ?? paths.find((p) => p) ?? null;

/**
 * The admin rules `principal` meets when signing as `session`; empty when none. A path whose
 * `dependsOn` is non-empty holds only for some values of keys a scan cannot know.
 */
export function adminPaths(
  principal: PrincipalPolicies,
  session: Session,
  groups: string[] = [],
  targets: AdminTargets = { groups: [], roles: [] },
): AdminPath[] {
  const run = (probes: Probe[]) => probes.map((p) => simulate(principal, p, session));
  const full = holds(
    "full-access",
    run(fullAccessProbes(principal)).map((v) => [v]),
  );
  const write = holds("iam-write", [
    run(
      iamWriteProbes(
        principal,
        groups,
        targets.groups.filter((g) => !groups.includes(g)),
        targets.roles.map((r) => r.arn),
      ),
    ),
  ]);
  const pass = run([passRoleProbe(principal.accountId)]);
  const compute = pass.some(possible) ? run(runCodeProbes(principal)) : [];
  const passRole = holds("passrole-and-compute", [pass, compute]);
  const assume = best(
    targets.roles
      .filter((role) => role.arn !== principal.arn)
      .map((role) => {
        const trust = trustVerdict(role, principal, session);
        if (!trust) return null;
        const identity = simulate(principal, { action: "sts:AssumeRole", resource: role.arn }, session);
        return holds("assume-admin-role", [[identity], [trust]]);
      }),
  );
  return [full, write, passRole, assume].filter((p): p is AdminPath => p !== null);
}

/**
 * The groups and roles of `details` that are administrators with MFA by rules 1–3 (roles of
 * AWS services excluded), for rules 2 and 4.
 */
export function adminTargets(details: AuthorizationDetails, scps: ScpState, region: string): AdminTargets {
  const isAdmin = (principal: PrincipalPolicies) =>
    adminPaths(principal, "mfa").some((p) => p.dependsOn.length === 0);
  return {
    groups: details.groups.flatMap((group) => {
      const resolved = groupPolicies(details, group, scps, region);
      return resolved.ok && isAdmin(resolved.principal) ? [group.groupName] : [];
    }),
    roles: details.roles.filter((role) => {
      if (role.path.startsWith("/aws-service-role/")) return false;
      const resolved = rolePolicies(details, role, scps, region);
      return resolved.ok && isAdmin(resolved.principal);
    }),
  };
}
