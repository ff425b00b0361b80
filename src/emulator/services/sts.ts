/** AWS STS (Query): GetCallerIdentity, AssumeRole (trust policies evaluated) and AssumeRoot. */
import { roleId } from "../credentials.js";
import { AwsError, type Principal, type RequestContext, type ServiceDefinition } from "../types.js";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** The task policies an AssumeRoot session may carry. */
const ROOT_TASK_POLICIES = [
  "IAMAuditRootUserCredentials",
  "IAMCreateRootUserPassword",
  "IAMDeleteRootUserCredentials",
  "S3UnlockBucketPolicy",
  "SQSUnlockQueuePolicy",
].map((name) => `arn:aws:iam::aws:policy/root-task/${name}`);

/** A session assumed from another role session (role chaining) lasts at most one hour. */
const CHAINED_MAX_SECONDS = 3600;

const validation = (message: string) => new AwsError("ValidationError", message);

function durationSeconds(input: Record<string, unknown>, min: number, max: number, fallback: number): number {
  const raw = input.DurationSeconds;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${String(raw)}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return value;
}

function requiredString(input: Record<string, unknown>, name: string, member: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a trust policy `Principal` names the caller. */
function principalMatches(principal: unknown, caller: Principal): boolean {
  if (principal === "*") return true;
  if (principal === null || typeof principal !== "object") return false;
  return asList((principal as { AWS?: unknown }).AWS).some((entry) => {
    if (entry === "*") return true;
    if (entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root`) return true;
    if (typeof entry !== "string") return false;
    const role = ROLE_ARN.exec(entry);
    return (
      role !== null &&
      caller.kind === "assumed-role" &&
      role[1] === caller.accountId &&
      role[2] === caller.roleName
    );
  });
}

function actionMatches(action: unknown): boolean {
  return asList(action).some((a) => a === "*" || a === "sts:*" || a === "sts:AssumeRole");
}

/** Only `StringEquals` on `sts:ExternalId` is understood; any other condition does not hold. */
function conditionHolds(condition: unknown, externalId: string | undefined): boolean {
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== "object") return false;
  return Object.entries(condition).every(([operator, block]) => {
    if (operator !== "StringEquals" || block === null || typeof block !== "object") return false;
    return Object.entries(block).every(
      ([key, expected]) =>
        key.toLowerCase() === "sts:externalid" &&
        externalId !== undefined &&
        asList(expected).includes(externalId),
    );
  });
}

/** Evaluates a role's trust policy for sts:AssumeRole by `caller`: an explicit Deny wins, else an Allow is needed. */
export function trustAllows(
  policy: Record<string, unknown>,
  caller: Principal,
  externalId?: string,
): boolean {
  const applicable = asList(policy.Statement).filter((statement): statement is Record<string, unknown> => {
    if (statement === null || typeof statement !== "object") return false;
    const s = statement as Record<string, unknown>;
    return (
      actionMatches(s.Action) &&
      principalMatches(s.Principal, caller) &&
      conditionHolds(s.Condition, externalId)
    );
  });
  if (applicable.some((s) => s.Effect === "Deny")) return false;
  return applicable.some((s) => s.Effect === "Allow");
}

function assumeRole(ctx: RequestContext) {
  const roleArn = requiredString(ctx.input, "RoleArn", "roleArn");
  const sessionName = requiredString(ctx.input, "RoleSessionName", "roleSessionName");
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = durationSeconds(ctx.input, 900, 43200, 3600);
  const externalId = typeof ctx.input.ExternalId === "string" ? ctx.input.ExternalId : undefined;
  const denied = new AwsError(
    "AccessDenied",
    `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  const parsed = ROLE_ARN.exec(roleArn);
  if (!parsed) throw validation(`${roleArn} is invalid`);
  const [, accountId, roleName] = parsed as unknown as [string, string, string];
  const role = ctx.findAccount(accountId)?.roles.find((r) => r.name === roleName);
  if (!role || !trustAllows(role.trustPolicy, ctx.principal, externalId)) throw denied;
  if (ctx.principal.kind === "assumed-role" && duration > CHAINED_MAX_SECONDS) {
    throw validation(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  if (duration > role.maxSessionDuration) {
    throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }

  const arn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const credentials = ctx.issueSession({
    accountId,
    arn,
    kind: "assumed-role",
    roleName,
    durationSeconds: duration,
  });
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration,
    },
    AssumedRoleUser: { AssumedRoleId: `${roleId(accountId, roleName)}:${sessionName}`, Arn: arn },
    PackedPolicySize: 0,
  };
}

function assumeRoot(ctx: RequestContext) {
  const target = requiredString(ctx.input, "TargetPrincipal", "targetPrincipal");
  const taskPolicy = (ctx.input.TaskPolicyArn as { arn?: unknown } | undefined)?.arn;
  const duration = durationSeconds(ctx.input, 0, 900, 900);
  // AssumeRoot needs a regional endpoint. A call to the global endpoint signs with us-east-1 just
  // like a call to sts.us-east-1.amazonaws.com, so only the Host header tells them apart:
  // `sts.amazonaws.com` is global, `sts.<region>.amazonaws.com` regional. Through the emulator's
  // own endpoint (127.0.0.1:<port>) the Host names neither, so which endpoint the client chose
  // cannot be told, and the call is let through: a client that would call the global endpoint in
  // AWS is not caught here unless it sends its AWS host name.
  if (ctx.host?.replace(/:\d+$/, "").toLowerCase() === "sts.amazonaws.com") {
    throw new AwsError(
      "InvalidAction",
      "AssumeRoot is not available on the global STS endpoint: call a regional endpoint.",
    );
  }
  if (typeof taskPolicy !== "string" || !ROOT_TASK_POLICIES.includes(taskPolicy)) {
    throw validation(`TaskPolicyArn ${String(taskPolicy)} is not a root task policy.`);
  }
  const denied = (why: string) =>
    new AwsError(
      "AccessDenied",
      `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::${target}:root because ${why}`,
      403,
    );
  const org = ctx.scenario.organization;
  const caller = ctx.principal.accountId;
  if (!org || (org.managementAccount !== caller && !org.delegatedAdministrators.includes(caller))) {
    throw denied("the caller is not the organization's management account or a delegated administrator");
  }
  if (!org.rootFeatures.includes("RootSessions")) {
    throw denied("privileged root actions (RootSessions) are not enabled for the organization");
  }
  if (target === org.managementAccount || !ctx.findAccount(target)) {
    throw denied(`${target} is not a member account of the organization`);
  }
  const credentials = ctx.issueSession({
    accountId: target,
    arn: `arn:aws:iam::${target}:root`,
    kind: "root-session",
    durationSeconds: duration,
  });
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration,
    },
  };
}

export const sts: ServiceDefinition = {
  name: "sts",
  protocol: "query",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  handlers: {
    GetCallerIdentity: (ctx) => ({
      UserId: ctx.principal.userId,
      Account: ctx.principal.accountId,
      Arn: ctx.principal.arn,
    }),
    AssumeRole: assumeRole,
    AssumeRoot: assumeRoot,
  },
};
