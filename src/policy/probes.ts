/**
 * The requests mfawatch simulates, documented in docs/POLICY-SIMULATION.md. Resources that stand
 * for "someone else's" use the name `mfawatch-probe`, which no real entity needs to have.
 */
import type { PrincipalPolicies } from "./principal.js";
import type { Probe } from "./simulate.js";

const PROBE = "mfawatch-probe";
const REGION = "us-east-1";

/** Everyday and sensitive actions that a session without MFA should not be able to perform. */
export function sensitiveProbes(accountId: string): Probe[] {
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

/** What a user must be able to do without MFA to enrol a device, on the user's own resources. */
export function selfServiceProbes(user: PrincipalPolicies): Probe[] {
  const own = user.arn;
  return [
    { action: "iam:CreateVirtualMFADevice", resource: `arn:aws:iam::${user.accountId}:mfa/${user.name}` },
    { action: "iam:EnableMFADevice", resource: own },
    { action: "iam:ListMFADevices", resource: own },
    { action: "iam:ListVirtualMFADevices", resource: "*" },
    { action: "iam:GetUser", resource: own },
    { action: "sts:GetSessionToken", resource: "*" },
  ];
}

/** Rule 1, full access: every one of these, across services, is allowed (`*` on `*`, AdministratorAccess). */
export function fullAccessProbes(accountId: string): Probe[] {
  return [
    { action: "iam:CreateUser", resource: `arn:aws:iam::${accountId}:user/${PROBE}` },
    { action: "organizations:LeaveOrganization", resource: "*" },
    {
      action: "ec2:TerminateInstances",
      resource: `arn:aws:ec2:${REGION}:${accountId}:instance/i-0123456789abcdef0`,
    },
    { action: "s3:DeleteBucket", resource: `arn:aws:s3:::${PROBE}` },
    { action: "dynamodb:DeleteTable", resource: `arn:aws:dynamodb:${REGION}:${accountId}:table/${PROBE}` },
    {
      action: "cloudtrail:StopLogging",
      resource: `arn:aws:cloudtrail:${REGION}:${accountId}:trail/${PROBE}`,
    },
  ];
}

/** Rule 2, IAM write: any one of these lets the principal grant itself any permission. */
export function iamWriteProbes(principal: PrincipalPolicies, groups: string[]): Probe[] {
  const self =
    principal.kind === "user"
      ? [
          { action: "iam:AttachUserPolicy", resource: principal.arn },
          { action: "iam:PutUserPolicy", resource: principal.arn },
        ]
      : [
          { action: "iam:AttachRolePolicy", resource: principal.arn },
          { action: "iam:PutRolePolicy", resource: principal.arn },
        ];
  return [
    ...self,
    ...groups.flatMap((g) => [
      { action: "iam:AttachGroupPolicy", resource: `arn:aws:iam::${principal.accountId}:group/${g}` },
      { action: "iam:PutGroupPolicy", resource: `arn:aws:iam::${principal.accountId}:group/${g}` },
    ]),
    { action: "iam:CreatePolicyVersion", resource: `arn:aws:iam::${principal.accountId}:policy/${PROBE}` },
  ];
}

/** Rule 3: passing a role (this probe) together with any one of the code-running actions below. */
export function passRoleProbe(accountId: string): Probe {
  return { action: "iam:PassRole", resource: `arn:aws:iam::${accountId}:role/${PROBE}` };
}

export function runCodeProbes(accountId: string): Probe[] {
  return [
    { action: "ec2:RunInstances", resource: `arn:aws:ec2:${REGION}:${accountId}:instance/*` },
    { action: "lambda:CreateFunction", resource: `arn:aws:lambda:${REGION}:${accountId}:function:${PROBE}` },
    {
      action: "cloudformation:CreateStack",
      resource: `arn:aws:cloudformation:${REGION}:${accountId}:stack/${PROBE}/*`,
    },
    { action: "ecs:RunTask", resource: `arn:aws:ecs:${REGION}:${accountId}:task-definition/${PROBE}:1` },
    {
      action: "glue:CreateDevEndpoint",
      resource: `arn:aws:glue:${REGION}:${accountId}:devEndpoint/${PROBE}`,
    },
  ];
}
