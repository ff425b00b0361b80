/**
 * The policies that decide what one IAM user or role may do, gathered from a snapshot: identity
 * policies (inline, attached, through groups), the permission boundary and the SCPs above the
 * account.
 */
import type {
  AuthorizationDetails,
  AuthRole,
  AuthUser,
  OrganizationInfo,
  PolicyDocument,
  Section,
  ServiceControlPolicies,
} from "../snapshot/types.js";

/** Where a policy comes from, for evidence: its name, ARN when managed, and how it applies. */
export interface PolicyRef {
  name: string;
  arn?: string;
  /** e.g. `user inline`, `user managed`, `group admins managed`, `permission boundary`, `SCP on r-abcd`. */
  attachedVia: string;
}

export interface NamedPolicy {
  ref: PolicyRef;
  document: PolicyDocument;
}

/**
 * Whether SCPs take part in the simulation. `applied`: the levels from the organization root down
 * to the account. `none`: SCPs cannot restrict this account (not in an organization, or it is the
 * management account). `unreadable`: they may apply but were not read; simulations then run
 * without them, so a verdict can never rely on them.
 */
export type ScpState =
  | { state: "applied"; targets: string[]; levels: { targetId: string; policies: NamedPolicy[] }[] }
  | { state: "none"; reason: string }
  | { state: "unreadable"; reason: string };

export interface PrincipalPolicies {
  kind: "user" | "role";
  name: string;
  arn: string;
  accountId: string;
  /** The region requests are signed for (`aws:RequestedRegion`): the collection region. */
  region: string;
  identity: NamedPolicy[];
  boundary: NamedPolicy | null;
  scps: ScpState;
}

/** Either the principal's policies, or the managed policies it uses that the snapshot lacks. */
export type Resolved = { ok: true; principal: PrincipalPolicies } | { ok: false; missing: string[] };

function sectionReason(name: string, section: Section<unknown>): string {
  return section.status === "error" ? `${name}: ${section.error.code}: ${section.error.message}` : name;
}

/**
 * Which SCPs apply to `accountId`. SCPs never restrict the management account, so when the
 * organization section cannot tell whether this is the management account they are treated as
 * unreadable. A level with no SCP attached (AWS always keeps one) does not restrict.
 */
export function scpState(
  scps: Section<ServiceControlPolicies>,
  organization: Section<OrganizationInfo>,
  accountId: string,
): ScpState {
  const org = organization.status === "ok" ? organization.data : null;
  if (org && !org.inOrganization) return { state: "none", reason: "the account is not in an organization" };
  if (org?.managementAccountId === accountId) {
    return { state: "none", reason: "SCPs do not apply to the organization's management account" };
  }
  if (scps.status === "error") {
    return {
      state: "unreadable",
      reason: `SCPs could not be read (${sectionReason("serviceControlPolicies", scps)})`,
    };
  }
  if (scps.data.targets.length === 0)
    return { state: "none", reason: "the account is not in an organization" };
  if (!org) {
    return {
      state: "unreadable",
      reason: `SCPs were read but ${sectionReason("organization", organization)}, so whether this is the management account (which SCPs do not restrict) is unknown`,
    };
  }
  const levels = [...scps.data.targets]
    .reverse()
    .map((targetId) => ({
      targetId,
      policies: scps.data.policies
        .filter((p) => p.targetId === targetId)
        .map((p) => ({
          ref: { name: p.name, arn: p.arn, attachedVia: `SCP on ${targetId}` },
          document: p.document,
        })),
    }))
    .filter((level) => level.policies.length > 0);
  return { state: "applied", targets: scps.data.targets, levels };
}

const indexes = new WeakMap<
  AuthorizationDetails,
  {
    policies: Map<string, AuthorizationDetails["policies"][number]>;
    groups: Map<string, AuthorizationDetails["groups"][number]>;
  }
>();

/** The snapshot's managed policies by ARN and groups by name (the first of a name), built once per snapshot. */
function indexOf(details: AuthorizationDetails) {
  let index = indexes.get(details);
  if (!index) {
    index = {
      policies: new Map(details.policies.map((p) => [p.arn, p])),
      groups: new Map([...details.groups].reverse().map((g) => [g.groupName, g])),
    };
    indexes.set(details, index);
  }
  return index;
}

function collect(
  details: AuthorizationDetails,
  sources: {
    via: string;
    inline: AuthUser["inlinePolicies"];
    attached: AuthUser["attachedManagedPolicies"];
  }[],
  boundaryArn: string | null,
): { identity: NamedPolicy[]; boundary: NamedPolicy | null; missing: string[] } {
  const byArn = indexOf(details).policies;
  const missing: string[] = [];
  const identity: NamedPolicy[] = [];
  for (const source of sources) {
    for (const p of source.inline) {
      identity.push({ ref: { name: p.name, attachedVia: `${source.via} inline` }, document: p.document });
    }
    for (const a of source.attached) {
      const policy = byArn.get(a.arn);
      if (policy) {
        identity.push({
          ref: { name: a.name, arn: a.arn, attachedVia: `${source.via} managed` },
          document: policy.document,
        });
      } else missing.push(a.arn);
    }
  }
  let boundary: NamedPolicy | null = null;
  if (boundaryArn) {
    const policy = byArn.get(boundaryArn);
    if (policy) {
      boundary = {
        ref: { name: policy.policyName, arn: boundaryArn, attachedVia: "permission boundary" },
        document: policy.document,
      };
    } else missing.push(boundaryArn);
  }
  return { identity, boundary, missing: [...new Set(missing)] };
}

/**
 * A user's policies, its groups' included. A group the snapshot lacks counts as missing. `region`
 * is the region simulated requests are signed for (checks pass the collection region).
 */
export function userPolicies(
  details: AuthorizationDetails,
  user: AuthUser,
  scps: ScpState,
  region = "us-east-1",
): Resolved {
  const missingGroups: string[] = [];
  const groups = user.groups.flatMap((name) => {
    const group = indexOf(details).groups.get(name);
    if (!group) missingGroups.push(`group ${name}`);
    return group
      ? [{ via: `group ${name}`, inline: group.inlinePolicies, attached: group.attachedManagedPolicies }]
      : [];
  });
  const { identity, boundary, missing } = collect(
    details,
    [{ via: "user", inline: user.inlinePolicies, attached: user.attachedManagedPolicies }, ...groups],
    user.permissionsBoundaryArn,
  );
  if (missing.length + missingGroups.length > 0)
    return { ok: false, missing: [...missing, ...missingGroups] };
  return {
    ok: true,
    principal: {
      kind: "user",
      name: user.userName,
      arn: user.arn,
      accountId: accountOf(user.arn),
      region,
      identity,
      boundary,
      scps,
    },
  };
}

export function rolePolicies(
  details: AuthorizationDetails,
  role: AuthRole,
  scps: ScpState,
  region = "us-east-1",
): Resolved {
  const { identity, boundary, missing } = collect(
    details,
    [{ via: "role", inline: role.inlinePolicies, attached: role.attachedManagedPolicies }],
    role.permissionsBoundaryArn,
  );
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    principal: {
      kind: "role",
      name: role.roleName,
      arn: role.arn,
      accountId: accountOf(role.arn),
      region,
      identity,
      boundary,
      scps,
    },
  };
}

/**
 * A group's own policies, as if a member had no others: what joining the group grants. The
 * group's ARN stands for the member.
 */
export function groupPolicies(
  details: AuthorizationDetails,
  group: AuthorizationDetails["groups"][number],
  scps: ScpState,
  region: string,
): Resolved {
  const { identity, missing } = collect(
    details,
    [
      {
        via: `group ${group.groupName}`,
        inline: group.inlinePolicies,
        attached: group.attachedManagedPolicies,
      },
    ],
    null,
  );
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    principal: {
      kind: "user",
      name: group.groupName,
      arn: group.arn,
      accountId: accountOf(group.arn),
      region,
      identity,
      boundary: null,
      scps,
    },
  };
}

/** Entities by ARN, the first of each ARN kept (as `find` would). */
export function byArn<T extends { arn: string }>(entities: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const entity of entities) if (!map.has(entity.arn)) map.set(entity.arn, entity);
  return map;
}

/** The account id inside an IAM ARN (`arn:aws:iam::<account>:…`). */
export function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/** Evidence of which SCPs took part, so a reader knows what the verdict rests on. */
export function scpEvidence(scps: ScpState): Record<string, unknown> {
  if (scps.state === "applied") {
    return {
      scps: scps.levels.flatMap((l) => l.policies.map((p) => `${p.ref.name} (${p.ref.attachedVia})`)),
    };
  }
  return { scps: `${scps.state}: ${scps.reason}` };
}
