/**
 * The IAM writes `mfawatch fix --apply` makes: create the force-MFA policy and a group, attach one
 * to the other, add users. Each mutates the scenario account, so later reads (GetGroup,
 * GetAccountAuthorizationDetails, ListPolicies) see the change. Errors follow IAM's codes.
 */
import type { ScenarioAccount } from "../../scenario.js";
import { AwsError, type Handler, type RequestContext } from "../../types.js";
import { localPolicies, policyResolver } from "./managed-policies.js";
import { accountCreated, findUser, page, stableId, userArn, userId } from "./model.js";

function required(ctx: RequestContext, name: string): string {
  const value = ctx.input[name];
  if (typeof value !== "string" || value === "") {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function path(ctx: RequestContext): string {
  const value = ctx.input.Path;
  if (value === undefined) return "/";
  if (typeof value !== "string" || !/^\/([\x21-\x7e]*\/)?$/.test(value)) {
    throw new AwsError(
      "ValidationError",
      `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
    );
  }
  return value;
}

function findGroup(account: ScenarioAccount, name: string) {
  const group = account.groups.find((g) => g.name === name);
  if (!group) throw new AwsError("NoSuchEntity", `The group with name ${name} cannot be found.`, 404);
  return group;
}

function groupOutput(ctx: RequestContext, group: ScenarioAccount["groups"][number]) {
  const arn = `arn:aws:iam::${ctx.account.id}:group${group.path}${group.name}`;
  return {
    Path: group.path,
    GroupName: group.name,
    GroupId: stableId("AGPA", arn, 17),
    Arn: arn,
    CreateDate: accountCreated(ctx.account, ctx.now()),
  };
}

function policyOutput(ctx: RequestContext, name: string) {
  const policy = localPolicies(ctx.account, ctx.now()).find((p) => p.name === name);
  if (!policy) throw new AwsError("NoSuchEntity", `Policy ${name} does not exist.`, 404);
  const attachments = [...ctx.account.users, ...ctx.account.groups, ...ctx.account.roles].filter((e) =>
    e.managedPolicies.some((r) => r === policy.arn || r === policy.name),
  ).length;
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.versionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: policy.created,
    UpdateDate: policy.created,
  };
}

const createPolicy: Handler = (ctx) => {
  const name = required(ctx, "PolicyName");
  const text = required(ctx, "PolicyDocument");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
  }
  if (!document || typeof document !== "object" || Array.isArray(document) || !("Statement" in document)) {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
  }
  if (ctx.account.policies.some((p) => p.name === name)) {
    throw new AwsError(
      "EntityAlreadyExists",
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
      409,
    );
  }
  ctx.account.policies.push({ name, path: path(ctx), document: document as Record<string, unknown> });
  return { Policy: policyOutput(ctx, name) };
};

const createGroup: Handler = (ctx) => {
  const name = required(ctx, "GroupName");
  if (ctx.account.groups.some((g) => g.name.toLowerCase() === name.toLowerCase())) {
    throw new AwsError("EntityAlreadyExists", `Group with name ${name} already exists.`, 409);
  }
  const group = { name, path: path(ctx), inlinePolicies: {}, managedPolicies: [] };
  ctx.account.groups.push(group);
  return { Group: groupOutput(ctx, group) };
};

const attachGroupPolicy: Handler = (ctx) => {
  const group = findGroup(ctx.account, required(ctx, "GroupName"));
  const arn = required(ctx, "PolicyArn");
  if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\//.test(arn)) {
    throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`);
  }
  try {
    policyResolver(ctx.account, ctx.now())(arn);
  } catch {
    throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
  }
  if (!group.managedPolicies.includes(arn)) group.managedPolicies.push(arn);
  return {};
};

const addUserToGroup: Handler = (ctx) => {
  const group = findGroup(ctx.account, required(ctx, "GroupName"));
  const user = findUser(ctx.account, required(ctx, "UserName"));
  if (!user.groups.includes(group.name)) user.groups.push(group.name);
  return {};
};

const getGroup: Handler = (ctx) => {
  const group = findGroup(ctx.account, required(ctx, "GroupName"));
  const members = ctx.account.users.filter((u) => u.groups.includes(group.name));
  const { items, ...paging } = page(members, ctx.input, "GetGroup");
  return {
    Group: groupOutput(ctx, group),
    Users: items.map((u) => ({
      Path: u.path,
      UserName: u.name,
      UserId: userId(ctx.account, u.name),
      Arn: userArn(ctx.account, u),
      CreateDate: u.created,
    })),
    ...paging,
  };
};

/** Lists the account's own policies; AWS managed ones are never listed, whatever the Scope. */
const listPolicies: Handler = (ctx) => {
  const scope = ctx.input.Scope ?? "All";
  if (scope !== "Local" && scope !== "All" && scope !== "AWS") {
    throw new AwsError(
      "ValidationError",
      `Value '${String(scope)}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
    );
  }
  const local = scope === "AWS" ? [] : ctx.account.policies.map((p) => policyOutput(ctx, p.name));
  const { items, ...paging } = page(local, ctx.input, "ListPolicies");
  return { Policies: items, ...paging };
};

/** Handlers to merge into the IAM service definition's `handlers`. */
export const iamWriteHandlers: Record<string, Handler> = {
  CreatePolicy: createPolicy,
  CreateGroup: createGroup,
  AttachGroupPolicy: attachGroupPolicy,
  AddUserToGroup: addUserToGroup,
  GetGroup: getGroup,
  ListPolicies: listPolicies,
};
