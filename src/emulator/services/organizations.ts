/** AWS Organizations (JSON 1.1): the organization, its accounts, roots, parents and SCPs. */
import type { Scenario, ScenarioAccount, ScenarioOrganization } from "../scenario.js";
import { AwsError, type RequestContext, type ServiceDefinition } from "../types.js";
import { optionalInt, optionalString, paginate } from "./json/input.js";

const SCP = "SERVICE_CONTROL_POLICY";
const MAX_RESULTS = 20;
/** Organizations lists accounts in pages of at most this many even without MaxResults. */
const DEFAULT_PAGE = 20;
const FULL_AWS_ACCESS_ID = "p-FullAWSAccess";
const FULL_AWS_ACCESS_CONTENT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
/** Accounts have no join date in scenarios: a fixed one keeps responses repeatable. */
const JOINED_BASE = Date.parse("2021-03-01T09:00:00Z");

const invalidInput = (message: string) => new AwsError("InvalidInputException", message);
const accessDenied = () =>
  new AwsError("AccessDeniedException", "You don't have permissions to access this resource.");

interface PolicyEntry {
  id: string;
  name: string;
  description: string;
  awsManaged: boolean;
  content: string;
  targets: string[];
}

/** The organization the caller's account belongs to. */
function organizationOf(ctx: RequestContext): ScenarioOrganization {
  const org = ctx.scenario.organization;
  if (!org) {
    throw new AwsError(
      "AWSOrganizationsNotInUseException",
      "Your account is not a member of an organization.",
    );
  }
  return org;
}

/** The organization, for operations that only the management account or a delegated administrator may call. */
function administeredOrganization(ctx: RequestContext): ScenarioOrganization {
  const org = organizationOf(ctx);
  const id = ctx.account.id;
  if (id !== org.managementAccount && !org.delegatedAdministrators.includes(id)) throw accessDenied();
  return org;
}

function arnPrefix(org: ScenarioOrganization): string {
  return `arn:aws:organizations::${org.managementAccount}`;
}

function accountOutput(org: ScenarioOrganization, account: ScenarioAccount, index: number) {
  const slug = account.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    Id: account.id,
    Arn: `${arnPrefix(org)}:account/${org.id}/${account.id}`,
    Email: account.email ?? `aws+${slug}@example.com`,
    Name: account.name,
    Status: account.status,
    State: account.status,
    JoinedMethod: account.id === org.managementAccount ? "INVITED" : "CREATED",
    JoinedTimestamp: new Date(JOINED_BASE + index * 86400e3),
  };
}

function policyTypes(org: ScenarioOrganization) {
  return org.featureSet === "ALL" ? [{ Type: SCP, Status: "ENABLED" }] : [];
}

/**
 * The SCPs of the organization: AWS's FullAWSAccess, which AWS attaches to the root, every OU and
 * every account when SCPs are enabled (so a deny-only SCP lower down does not deny everything),
 * then the scenario's.
 */
function policies(scenario: Scenario, org: ScenarioOrganization): PolicyEntry[] {
  if (org.featureSet !== "ALL") return [];
  return [
    {
      id: FULL_AWS_ACCESS_ID,
      name: "FullAWSAccess",
      description: "Allows access to every operation",
      awsManaged: true,
      content: FULL_AWS_ACCESS_CONTENT,
      targets: [org.rootId, ...org.ous.map((ou) => ou.id), ...scenario.accounts.map((a) => a.id)],
    },
    ...org.scps.map((scp) => ({
      id: scp.id,
      name: scp.name,
      description: "",
      awsManaged: false,
      content: JSON.stringify(scp.document),
      targets: scp.targets,
    })),
  ];
}

function policySummary(org: ScenarioOrganization, policy: PolicyEntry) {
  const arn = policy.awsManaged
    ? `arn:aws:organizations::aws:policy/service_control_policy/${policy.id}`
    : `${arnPrefix(org)}:policy/${org.id}/service_control_policy/${policy.id}`;
  return {
    Id: policy.id,
    Arn: arn,
    Name: policy.name,
    Description: policy.description,
    Type: SCP,
    AwsManaged: policy.awsManaged,
  };
}

function pageSize(ctx: RequestContext): number {
  return optionalInt(ctx.input, "MaxResults", 1, MAX_RESULTS, invalidInput) ?? DEFAULT_PAGE;
}

function page<T>(ctx: RequestContext, items: readonly T[], scope: unknown) {
  return paginate(items, {
    nextToken: ctx.input.NextToken,
    pageSize: pageSize(ctx),
    scope: [ctx.operation, scope],
    invalidToken: () => invalidInput("The provided pagination token is not valid."),
  });
}

function requiredString(ctx: RequestContext, name: string): string {
  const value = optionalString(ctx.input, name, invalidInput);
  if (value === undefined) throw invalidInput(`You must specify ${name}.`);
  return value;
}

/** The policy type filter: any Organizations policy type; the scenario only has SCPs. */
function policyFilter(ctx: RequestContext): string {
  const filter = requiredString(ctx, "Filter");
  if (!/^[A-Z0-9_]+_POLICY(_[A-Z0-9]+)?$/.test(filter)) {
    throw invalidInput(`${filter} is not a valid policy type.`);
  }
  return filter;
}

function describeOrganization(ctx: RequestContext) {
  const org = organizationOf(ctx);
  const management = ctx.scenario.accounts.find((a) => a.id === org.managementAccount);
  const managementEmail = management
    ? accountOutput(org, management, ctx.scenario.accounts.indexOf(management)).Email
    : undefined;
  return {
    Organization: {
      Id: org.id,
      Arn: `${arnPrefix(org)}:organization/${org.id}`,
      FeatureSet: org.featureSet,
      MasterAccountArn: `${arnPrefix(org)}:account/${org.id}/${org.managementAccount}`,
      MasterAccountId: org.managementAccount,
      MasterAccountEmail: managementEmail,
      AvailablePolicyTypes: policyTypes(org),
    },
  };
}

function listAccounts(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const accounts = ctx.scenario.accounts.map((account, index) => accountOutput(org, account, index));
  const { page: Accounts, nextToken } = page(ctx, accounts, null);
  return { Accounts, NextToken: nextToken };
}

function listRoots(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const roots = [
    {
      Id: org.rootId,
      Arn: `${arnPrefix(org)}:root/${org.id}/${org.rootId}`,
      Name: "Root",
      PolicyTypes: policyTypes(org),
    },
  ];
  const { page: Roots, nextToken } = page(ctx, roots, null);
  return { Roots, NextToken: nextToken };
}

function listParents(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const childId = requiredString(ctx, "ChildId");
  const account = ctx.scenario.accounts.find((a) => a.id === childId);
  const ou = org.ous.find((o) => o.id === childId);
  if (!account && !ou) {
    throw new AwsError(
      "ChildNotFoundException",
      "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
    );
  }
  const parentId = (account ? account.parent : ou?.parent) ?? org.rootId;
  const type = parentId === org.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT";
  const { page: Parents, nextToken } = page(ctx, [{ Id: parentId, Type: type }], childId);
  return { Parents, NextToken: nextToken };
}

function listPolicies(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const filter = policyFilter(ctx);
  const found = filter === SCP ? policies(ctx.scenario, org).map((p) => policySummary(org, p)) : [];
  const { page: Policies, nextToken } = page(ctx, found, filter);
  return { Policies, NextToken: nextToken };
}

function listPoliciesForTarget(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const targetId = requiredString(ctx, "TargetId");
  const filter = policyFilter(ctx);
  const known =
    targetId === org.rootId ||
    org.ous.some((o) => o.id === targetId) ||
    ctx.scenario.accounts.some((a) => a.id === targetId);
  if (!known) {
    throw new AwsError(
      "TargetNotFoundException",
      "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    );
  }
  const attached =
    filter === SCP
      ? policies(ctx.scenario, org)
          .filter((p) => p.targets.includes(targetId))
          .map((p) => policySummary(org, p))
      : [];
  const { page: Policies, nextToken } = page(ctx, attached, [targetId, filter]);
  return { Policies, NextToken: nextToken };
}

function describePolicy(ctx: RequestContext) {
  const org = administeredOrganization(ctx);
  const policyId = requiredString(ctx, "PolicyId");
  const policy = policies(ctx.scenario, org).find((p) => p.id === policyId);
  if (!policy) {
    throw new AwsError(
      "PolicyNotFoundException",
      "We can't find a policy with the PolicyId that you specified.",
    );
  }
  return { Policy: { PolicySummary: policySummary(org, policy), Content: policy.content } };
}

export const organizations: ServiceDefinition = {
  name: "organizations",
  protocol: "json",
  targetPrefix: "AWSOrganizationsV20161128",
  handlers: {
    DescribeOrganization: describeOrganization,
    ListAccounts: listAccounts,
    ListRoots: listRoots,
    ListParents: listParents,
    ListPolicies: listPolicies,
    ListPoliciesForTarget: listPoliciesForTarget,
    DescribePolicy: describePolicy,
  },
};
