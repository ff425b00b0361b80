/**
 * The requests mfawatch simulates, documented in docs/POLICY-SIMULATION.md. Resources that stand
 * for "someone else's" use the name `mfawatch-probe`, which no real entity needs to have.
 */
import { MFA_SELF_SERVICE_ACTIONS } from "./forceMfaPolicy.js";
import type { PrincipalPolicies } from "./principal.js";
import { type Probe, statements } from "./simulate.js";

const PROBE = "mfawatch-probe";
/** The action a probe uses for a pattern that matches every service (`*`, or a NotAction). */
export const ANY_ACTION = "mfawatchprobe:AnyAction";

type Target = Pick<PrincipalPolicies, "accountId" | "region">;

/** Everyday and sensitive actions that a session without MFA should not be able to perform. */
export function sensitiveProbes({ accountId }: Target): Probe[] {
  return [
    { action: "s3:ListAllMyBuckets", resource: "*" },
    { action: "ec2:DescribeInstances", resource: "*" },
    { action: "iam:CreateUser", resource: `arn:aws:iam::${accountId}:user/${PROBE}` },
    { action: "iam:AttachUserPolicy", resource: `arn:aws:iam::${accountId}:user/${PROBE}` },
    { action: "iam:CreateAccessKey", resource: `arn:aws:iam::${accountId}:user/${PROBE}` },
    { action: "organizations:LeaveOrganization", resource: "*" },
    { action: "sts:AssumeRole", resource: `arn:aws:iam::${accountId}:role/${PROBE}` },
  ];
}

/**
 * Not probed: the MFA self-service actions, and actions AWS never authorizes with policies
 * (`sts:GetCallerIdentity` works even when explicitly denied), so their being "allowed" without
 * MFA says nothing about enforcement.
 */
const EXEMPT = new Set([...MFA_SELF_SERVICE_ACTIONS, "sts:GetCallerIdentity"].map((a) => a.toLowerCase()));

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");

/** A concrete action that `pattern` matches: wildcards become `MfawatchProbe`. */
function actionFor(pattern: string): string {
  const [service, name] = pattern.split(":");
  if (!name || /[*?]/.test(service ?? "")) return ANY_ACTION;
  return `${service}:${name.replaceAll("*", "MfawatchProbe").replaceAll("?", "X")}`;
}

/**
 * A concrete resource that `pattern` matches: the principal's own account and region where the
 * ARN leaves them open, its name for `${aws:username}`, `mfawatch-probe` for other wildcards.
 */
function resourceFor(pattern: string, principal: PrincipalPolicies): string {
  const parts = pattern.split(":");
  if (parts.length >= 6 && parts[0] === "arn") {
    if (/[*?$]/.test(parts[3] ?? "") && parts[3] !== "") parts[3] = principal.region;
    if (/[*?$]/.test(parts[4] ?? "") && parts[4] !== "") parts[4] = principal.accountId;
  }
  return parts
    .join(":")
    .replace(/\$\{aws:username\}/gi, principal.name)
    .replace(/\$\{[^}]*\}/g, PROBE)
    .replaceAll("*", PROBE)
    .replaceAll("?", "x");
}

/**
 * One probe per action pattern × resource of each Allow statement of the principal's identity
 * policies, so that whatever the principal is allowed is tried: a literal action as written, a
 * wildcard pattern as a concrete action it matches (`dynamodb:*` → `dynamodb:MfawatchProbe`,
 * `*` or a NotAction → `mfawatchprobe:AnyAction`, an action no Deny names). `Resource: "*"` (or a
 * NotResource) is probed on `*`; narrower resources as a concrete ARN they match. The MFA
 * self-service actions that AWS's force-MFA template leaves open are not probed.
 */
export function policyProbes(principal: PrincipalPolicies): Probe[] {
  const probes = new Map<string, Probe>();
  for (const policy of principal.identity) {
    for (const st of statements(policy.document)) {
      if (st.Effect !== "Allow") continue;
      const patterns = "NotAction" in st ? ["*"] : list(st.Action);
      const resources =
        "NotResource" in st || list(st.Resource).includes("*")
          ? ["*"]
          : list(st.Resource).map((r) => resourceFor(r, principal));
      for (const pattern of patterns) {
        if (EXEMPT.has(pattern.toLowerCase())) continue;
        const action = actionFor(pattern);
        for (const resource of resources) {
          const probe = { action, resource, ...(action === pattern ? {} : { pattern }) };
          probes.set(`${action.toLowerCase()} ${resource}`, probe);
        }
      }
    }
  }
  return [...probes.values()];
}

/**
 * The fixed sensitive probes and those drawn from the principal's own Allow statements; a drawn
 * probe on `*` of an action the fixed set already tries adds nothing and is left out.
 */
export function actionProbes(principal: PrincipalPolicies): Probe[] {
  const fixed = sensitiveProbes(principal);
  const tried = new Set(fixed.map((p) => p.action.toLowerCase()));
  return [
    ...fixed,
    ...policyProbes(principal).filter((p) => p.resource !== "*" || !tried.has(p.action.toLowerCase())),
  ];
}

/**
 * What a user without MFA must be able to do to enrol a device, on the user's own resources.
 * `sts:GetSessionToken` is not among them: AWS does not authorize it with IAM policies.
 */
export function selfServiceProbes(user: PrincipalPolicies): Probe[] {
  const own = user.arn;
  return [
    { action: "iam:CreateVirtualMFADevice", resource: `arn:aws:iam::${user.accountId}:mfa/${user.name}` },
    { action: "iam:EnableMFADevice", resource: own },
    { action: "iam:ListMFADevices", resource: own },
    { action: "iam:ListVirtualMFADevices", resource: "*" },
    { action: "iam:GetUser", resource: own },
  ];
}

/** Rule 1, full access: every one of these, across services, is allowed (`*` on `*`, AdministratorAccess). */
export function fullAccessProbes({ accountId, region }: Target): Probe[] {
  return [
    { action: "iam:CreateUser", resource: `arn:aws:iam::${accountId}:user/${PROBE}` },
    { action: "organizations:LeaveOrganization", resource: "*" },
    {
      action: "ec2:TerminateInstances",
      resource: `arn:aws:ec2:${region}:${accountId}:instance/i-0123456789abcdef0`,
    },
    { action: "s3:DeleteBucket", resource: `arn:aws:s3:::${PROBE}` },
    { action: "dynamodb:DeleteTable", resource: `arn:aws:dynamodb:${region}:${accountId}:table/${PROBE}` },
    {
      action: "cloudtrail:StopLogging",
      resource: `arn:aws:cloudtrail:${region}:${accountId}:trail/${PROBE}`,
    },
  ];
}

/**
 * Rule 2, IAM write: any one of these lets the principal grant itself any permission: write a
 * policy on itself, its groups or a managed policy; join an administrators' group; rewrite the
 * trust policy of an administrator role; or take over or grant to another user (access key,
 * console password, policy).
 */
export function iamWriteProbes(
  principal: PrincipalPolicies,
  groups: string[],
  adminGroups: string[] = [],
  adminRoles: string[] = [],
): Probe[] {
  const iam = `arn:aws:iam::${principal.accountId}`;
  const other = `${iam}:user/${PROBE}`;
  const self =
    principal.kind === "user"
      ? [
          { action: "iam:AttachUserPolicy", resource: principal.arn },
          { action: "iam:PutUserPolicy", resource: principal.arn },
          ...adminGroups.map((g) => ({ action: "iam:AddUserToGroup", resource: `${iam}:group/${g}` })),
        ]
      : [
          { action: "iam:AttachRolePolicy", resource: principal.arn },
          { action: "iam:PutRolePolicy", resource: principal.arn },
        ];
  return [
    ...self,
    ...groups.flatMap((g) => [
      { action: "iam:AttachGroupPolicy", resource: `${iam}:group/${g}` },
      { action: "iam:PutGroupPolicy", resource: `${iam}:group/${g}` },
    ]),
    { action: "iam:CreatePolicyVersion", resource: `${iam}:policy/${PROBE}` },
    ...adminRoles.map((arn) => ({ action: "iam:UpdateAssumeRolePolicy", resource: arn })),
    ...[
      "CreateAccessKey",
      "CreateLoginProfile",
      "UpdateLoginProfile",
      "PutUserPolicy",
      "AttachUserPolicy",
    ].map((a) => ({ action: `iam:${a}`, resource: other })),
  ];
}

/** Rule 3: passing a role (this probe) together with any one of the code-running actions below. */
export function passRoleProbe(accountId: string): Probe {
  return { action: "iam:PassRole", resource: `arn:aws:iam::${accountId}:role/${PROBE}` };
}

export function runCodeProbes({ accountId, region }: Target): Probe[] {
  return [
    { action: "ec2:RunInstances", resource: `arn:aws:ec2:${region}:${accountId}:instance/*` },
    { action: "lambda:CreateFunction", resource: `arn:aws:lambda:${region}:${accountId}:function:${PROBE}` },
    {
      action: "cloudformation:CreateStack",
      resource: `arn:aws:cloudformation:${region}:${accountId}:stack/${PROBE}/*`,
    },
    { action: "ecs:RunTask", resource: `arn:aws:ecs:${region}:${accountId}:task-definition/${PROBE}:1` },
    {
      action: "glue:CreateDevEndpoint",
      resource: `arn:aws:glue:${region}:${accountId}:devEndpoint/${PROBE}`,
    },
  ];
}
