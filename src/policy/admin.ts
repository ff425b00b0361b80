/**
 * Is a principal effectively an administrator? Three rules, each by simulation:
 * 1. full access: every probe of `fullAccessProbes` is allowed;
 * 2. IAM write: it can attach or write a policy on itself or its groups, or rewrite a policy;
 * 3. PassRole with a way to run code: `iam:PassRole` and any of `runCodeProbes`.
 */
import type { PrincipalPolicies } from "./principal.js";
import { fullAccessProbes, iamWriteProbes, passRoleProbe, runCodeProbes } from "./probes.js";
import { type Session, simulate, type Verdict } from "./simulate.js";

export type AdminRule = "full-access" | "iam-write" | "passrole-and-compute";

export interface AdminPath {
  rule: AdminRule;
  /** The allowed requests the rule rests on. */
  verdicts: Verdict[];
}

/** The admin rules `principal` meets when signing as `session`; empty when none. */
export function adminPaths(
  principal: PrincipalPolicies,
  session: Session,
  groups: string[] = [],
): AdminPath[] {
  const { accountId } = principal;
  const allowed = (probes: { action: string; resource: string }[]) =>
    probes.map((p) => simulate(principal, p, session)).filter((v) => v.decision === "Allowed");
  const paths: AdminPath[] = [];

  const full = fullAccessProbes(accountId);
  const fullAllowed = allowed(full);
  if (fullAllowed.length === full.length) paths.push({ rule: "full-access", verdicts: fullAllowed });

  const write = allowed(iamWriteProbes(principal, groups));
  if (write.length > 0) paths.push({ rule: "iam-write", verdicts: write.slice(0, 1) });

  const pass = allowed([passRoleProbe(accountId)]);
  const compute = pass.length > 0 ? allowed(runCodeProbes(accountId)) : [];
  if (pass.length > 0 && compute.length > 0) {
    paths.push({ rule: "passrole-and-compute", verdicts: [...pass, ...compute.slice(0, 1)] });
  }
  return paths;
}
