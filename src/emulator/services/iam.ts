/**
 * The emulated IAM service (Query protocol): the reads mfawatch's collector makes, answered from
 * the scenario account with AWS's output shapes, errors and paging.
 */
import type { ScenarioAccount, ScenarioUser } from "../scenario.js";
import { AwsError, type Handler, type RequestContext, type ServiceDefinition, XmlMap } from "../types.js";
import { generateCredentialReport, getCredentialReport } from "./iam/credential-report.js";
import { type ManagedPolicy, policyResolver } from "./iam/managed-policies.js";
import {
  accessKeyId,
  accountCreated,
  certificateId,
  findUser,
  mfaSerial,
  type Owner,
  page,
  rootArn,
  stableId,
  userArn,
  userId,
} from "./iam/model.js";
import { iamWriteHandlers } from "./iam/writes.js";

/** What the `IAMAuditRootUserCredentials` task policy of an sts:AssumeRoot session allows. */
const ROOT_TASK_OPERATIONS = new Set([
  "ListMFADevices",
  "ListAccessKeys",
  "GetLoginProfile",
  "ListSigningCertificates",
  "GetAccountSummary",
  "GetUser",
  "GetAccessKeyLastUsed",
]);

const FILTERS = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const;
type Filter = (typeof FILTERS)[number];

function accessDenied(ctx: RequestContext, resource: string): AwsError {
  return new AwsError(
    "AccessDenied",
    `User: ${ctx.principal.arn} is not authorized to perform: iam:${ctx.operation} on resource: ${resource}`,
    403,
  );
}

function stringInput(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.input[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Whose credentials a call reads: the IAM user named by `UserName`, or, without it, the caller
 * itself, which can only be the root user of an sts:AssumeRoot session. Root's credentials are
 * readable only from such a session, and such a session reads nothing else.
 */
function targetOwner(ctx: RequestContext): Owner {
  const name = stringInput(ctx, "UserName");
  const rootSession = ctx.principal.kind === "root-session";
  if (name === undefined) {
    if (!rootSession) throw accessDenied(ctx, rootArn(ctx.account));
    return {};
  }
  if (rootSession) throw accessDenied(ctx, `arn:aws:iam::${ctx.account.id}:user/${name}`);
  return { user: findUser(ctx.account, name) };
}

/** The `User` structure; the root user's has no UserName or Path, as GetUser answers for root. */
function userOutput(ctx: RequestContext, owner: Owner) {
  const { account } = ctx;
  const password = owner.user ? owner.user.password : account.root.password || undefined;
  const passwordLastUsed = password?.lastUsed instanceof Date ? password.lastUsed : undefined;
  if (!owner.user) {
    return {
      UserId: account.id,
      Arn: rootArn(account),
      CreateDate: accountCreated(account, ctx.now()),
      PasswordLastUsed: passwordLastUsed,
    };
  }
  const user = owner.user;
  return {
    Path: user.path,
    UserName: user.name,
    UserId: userId(account, user.name),
    Arn: userArn(account, user),
    CreateDate: user.created,
    PasswordLastUsed: passwordLastUsed,
  };
}

function credentialsOf(account: ScenarioAccount, owner: Owner) {
  return owner.user ?? account.root;
}

/** Every credential holder of the account: root first, then the users. */
function owners(account: ScenarioAccount): Owner[] {
  return [{}, ...account.users.map((user) => ({ user }))];
}

function mfaDevicesOf(account: ScenarioAccount, owner: Owner) {
  return credentialsOf(account, owner).mfa.map((device, index) => ({
    device,
    serial: mfaSerial(account, owner, device, index),
  }));
}

/**
 * IAM's documented meanings: MFADevices counts the MFA devices "either assigned or unassigned",
 * which only virtual devices can be; MFADevicesInUse those assigned to an IAM user or the root
 * user, of any type; AccountMFAEnabled is 1 when root has an MFA device; AccountAccessKeysPresent
 * is 1 when root has an access key, active or not.
 */
const getAccountSummary: Handler = (ctx) => {
  const { account } = ctx;
  const root = account.root;
  const assigned = owners(account).flatMap((owner) => credentialsOf(account, owner).mfa);
  const virtual =
    assigned.filter((device) => device.type === "virtual").length + account.unassignedMfaDevices.length;
  const attachments = [...account.users, ...account.groups, ...account.roles].reduce(
    (n, entity) => n + entity.managedPolicies.length,
    0,
  );
  const flag = (present: boolean) => (present ? 1 : 0);
  return {
    SummaryMap: new XmlMap({
      AccessKeysPerUserQuota: 2,
      AccountAccessKeysPresent: flag(root.accessKeys.length > 0),
      AccountMFAEnabled: flag(root.mfa.length > 0),
      AccountPasswordPresent: flag(root.password !== false),
      AccountSigningCertificatesPresent: flag(root.certificates.length > 0),
      AssumeRolePolicySizeQuota: 2048,
      AttachedPoliciesPerGroupQuota: 10,
      AttachedPoliciesPerRoleQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      GlobalEndpointTokenVersion: 1,
      GroupPolicySizeQuota: 5120,
      Groups: account.groups.length,
      GroupsPerUserQuota: 10,
      GroupsQuota: 300,
      InstanceProfiles: 0,
      InstanceProfilesQuota: 1000,
      MFADevices: virtual,
      MFADevicesInUse: assigned.length,
      Policies: account.policies.length,
      PoliciesQuota: 1500,
      PolicySizeQuota: 6144,
      PolicyVersionsInUse: attachments,
      PolicyVersionsInUseQuota: 10000,
      Providers: account.oidcProviders.length + account.samlProviders.length,
      RolePolicySizeQuota: 10240,
      Roles: account.roles.length,
      RolesQuota: 1000,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      SigningCertificatesPerUserQuota: 2,
      UserPolicySizeQuota: 2048,
      Users: account.users.length,
      UsersQuota: 5000,
      VersionsPerPolicyQuota: 5,
    }),
  };
};

const listVirtualMFADevices: Handler = (ctx) => {
  const status = stringInput(ctx, "AssignmentStatus") ?? "Any";
  if (!["Assigned", "Unassigned", "Any"].includes(status)) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${status}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Unassigned, Any, Assigned]`,
    );
  }
  // A user's or root's devices are assigned; the account's unassignedMfaDevices are not.
  const assigned = owners(ctx.account).flatMap((owner) =>
    mfaDevicesOf(ctx.account, owner)
      .filter(({ device }) => device.type === "virtual")
      .map(({ device, serial }) => ({
        SerialNumber: serial,
        User: userOutput(ctx, owner),
        EnableDate: device.enabled,
      })),
  );
  const unassigned = ctx.account.unassignedMfaDevices.map((name) => ({
    SerialNumber: `arn:aws:iam::${ctx.account.id}:mfa/${name}`,
  }));
  const devices = [
    ...(status === "Unassigned" ? [] : assigned),
    ...(status === "Assigned" ? [] : unassigned),
  ];
  const { items, ...paging } = page(devices, ctx.input, ctx.operation);
  return { VirtualMFADevices: items, ...paging };
};

const listMFADevices: Handler = (ctx) => {
  const owner = targetOwner(ctx);
  const devices = mfaDevicesOf(ctx.account, owner).map(({ device, serial }) => ({
    UserName: owner.user?.name,
    SerialNumber: serial,
    EnableDate: device.enabled,
  }));
  const { items, ...paging } = page(devices, ctx.input, ctx.operation);
  return { MFADevices: items, ...paging };
};

const listAccessKeys: Handler = (ctx) => {
  const owner = targetOwner(ctx);
  const keys = credentialsOf(ctx.account, owner).accessKeys.map((key, index) => ({
    UserName: owner.user?.name,
    AccessKeyId: accessKeyId(ctx.account, owner, index),
    Status: key.active ? "Active" : "Inactive",
    CreateDate: key.created,
  }));
  const { items, ...paging } = page(keys, ctx.input, ctx.operation);
  return { AccessKeyMetadata: items, ...paging };
};

const listSigningCertificates: Handler = (ctx) => {
  const owner = targetOwner(ctx);
  const certificates = credentialsOf(ctx.account, owner).certificates.map((cert, index) => {
    const id = certificateId(ctx.account, owner, index);
    return {
      UserName: owner.user?.name,
      CertificateId: id,
      CertificateBody: `-----BEGIN CERTIFICATE-----\n${Buffer.from(id).toString("base64")}\n-----END CERTIFICATE-----\n`,
      Status: cert.active ? "Active" : "Inactive",
      UploadDate: cert.created,
    };
  });
  const { items, ...paging } = page(certificates, ctx.input, ctx.operation);
  return { Certificates: items, ...paging };
};

const getLoginProfile: Handler = (ctx) => {
  const owner = targetOwner(ctx);
  const { account } = ctx;
  if (!owner.user) {
    const password = account.root.password;
    if (password === false)
      throw new AwsError("NoSuchEntity", "Login Profile for root user cannot be found.", 404);
    const created = password.created ?? password.lastChanged ?? accountCreated(account, ctx.now());
    return { LoginProfile: { CreateDate: created, PasswordResetRequired: false } };
  }
  const { user } = owner;
  const password = user.password;
  if (!password) {
    throw new AwsError("NoSuchEntity", `Login Profile for User ${user.name} cannot be found.`, 404);
  }
  const created = password.created ?? password.lastChanged ?? user.created;
  return { LoginProfile: { UserName: user.name, CreateDate: created, PasswordResetRequired: false } };
};

const getUser: Handler = (ctx) => ({ User: userOutput(ctx, targetOwner(ctx)) });

const getAccessKeyLastUsed: Handler = (ctx) => {
  const id = stringInput(ctx, "AccessKeyId") ?? "";
  const { account } = ctx;
  for (const owner of owners(account)) {
    const key = credentialsOf(account, owner).accessKeys.find(
      (_, i) => accessKeyId(account, owner, i) === id,
    );
    if (!key) continue;
    // Root's keys are readable only from a root session, and a root session reads nothing else.
    if (!owner.user !== (ctx.principal.kind === "root-session")) {
      throw accessDenied(ctx, owner.user ? userArn(account, owner.user) : rootArn(account));
    }
    const used = key.lastUsed !== undefined;
    return {
      UserName: owner.user?.name,
      AccessKeyLastUsed: {
        LastUsedDate: key.lastUsed,
        ServiceName: used ? (key.lastUsedService ?? "N/A") : "N/A",
        Region: used ? (key.lastUsedRegion ?? "N/A") : "N/A",
      },
    };
  }
  throw new AwsError("NoSuchEntity", `The Access Key with id ${id} cannot be found.`, 404);
};

/** A policy document as IAM sends it: URL-encoded JSON. */
const encodeDocument = (document: Record<string, unknown>) => encodeURIComponent(JSON.stringify(document));

const inlinePolicies = (policies: Record<string, Record<string, unknown>>) =>
  Object.entries(policies).map(([name, document]) => ({
    PolicyName: name,
    PolicyDocument: encodeDocument(document),
  }));

function readFilters(ctx: RequestContext): Set<Filter> {
  const raw = ctx.input.Filter;
  const values = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
  for (const value of values) {
    if (!(FILTERS as readonly string[]).includes(value)) {
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value '[${values.join(", ")}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FILTERS.join(", ")}]]`,
      );
    }
  }
  return new Set(values.length > 0 ? (values as Filter[]) : FILTERS);
}

type DetailList = "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies";

const getAccountAuthorizationDetails: Handler = (ctx) => {
  const { account } = ctx;
  const now = ctx.now();
  const created = accountCreated(account, now);
  const filters = readFilters(ctx);
  const resolvePolicy = policyResolver(account, now);
  const attached = (references: string[]) =>
    references.map((reference) => {
      const policy = resolvePolicy(reference);
      return { PolicyName: policy.name, PolicyArn: policy.arn };
    });
  const boundary = (reference: string | undefined) =>
    reference === undefined
      ? undefined
      : {
          PermissionsBoundaryType: "PermissionsBoundaryPolicy",
          PermissionsBoundaryArn: resolvePolicy(reference).arn,
        };

  const items: { list: DetailList; item: unknown }[] = [];
  if (filters.has("User")) {
    for (const user of account.users) {
      items.push({ list: "UserDetailList", item: userDetail(ctx, user, attached, boundary) });
    }
  }
  if (filters.has("Group")) {
    for (const group of account.groups) {
      const arn = `arn:aws:iam::${account.id}:group${group.path}${group.name}`;
      items.push({
        list: "GroupDetailList",
        item: {
          Path: group.path,
          GroupName: group.name,
          GroupId: stableId("AGPA", arn, 17),
          Arn: arn,
          CreateDate: created,
          GroupPolicyList: inlinePolicies(group.inlinePolicies),
          AttachedManagedPolicies: attached(group.managedPolicies),
        },
      });
    }
  }
  if (filters.has("Role")) {
    for (const role of account.roles) {
      const arn = `arn:aws:iam::${account.id}:role${role.path}${role.name}`;
      items.push({
        list: "RoleDetailList",
        item: {
          Path: role.path,
          RoleName: role.name,
          RoleId: stableId("AROA", arn, 17),
          Arn: arn,
          CreateDate: created,
          AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
          InstanceProfileList: [],
          RolePolicyList: inlinePolicies(role.inlinePolicies),
          AttachedManagedPolicies: attached(role.managedPolicies),
          PermissionsBoundary: boundary(role.permissionsBoundary),
          Tags: [],
        },
      });
    }
  }
  const entities = [...account.users, ...account.groups, ...account.roles];
  const references = [
    ...account.policies.map((p) => `arn:aws:iam::${account.id}:policy${p.path}${p.name}`),
    ...entities.flatMap((e) => [...e.managedPolicies, boundaryOf(e)]),
  ].filter((reference): reference is string => reference !== undefined);
  // The account's own policies, then the AWS managed ones in use.
  for (const policy of new Set(references.map(resolvePolicy))) {
    const local = policy.arn.startsWith(`arn:aws:iam::${account.id}:`);
    if (!filters.has(local ? "LocalManagedPolicy" : "AWSManagedPolicy")) continue;
    const uses = (reference: string | undefined) =>
      reference !== undefined && resolvePolicy(reference) === policy;
    items.push({
      list: "Policies",
      item: {
        ...policyDetail(policy),
        AttachmentCount: entities.filter((e) => e.managedPolicies.some(uses)).length,
        PermissionsBoundaryUsageCount: entities.filter((e) => uses(boundaryOf(e))).length,
      },
    });
  }

  const { items: pageItems, ...paging } = page(items, ctx.input, ctx.operation);
  const pick = (list: DetailList) => pageItems.filter((i) => i.list === list).map((i) => i.item);
  return {
    UserDetailList: pick("UserDetailList"),
    GroupDetailList: pick("GroupDetailList"),
    RoleDetailList: pick("RoleDetailList"),
    Policies: pick("Policies"),
    ...paging,
  };
};

function userDetail(
  ctx: RequestContext,
  user: ScenarioUser,
  attached: (references: string[]) => unknown[],
  boundary: (reference: string | undefined) => unknown,
) {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: userId(ctx.account, user.name),
    Arn: userArn(ctx.account, user),
    CreateDate: user.created,
    UserPolicyList: inlinePolicies(user.inlinePolicies),
    GroupList: user.groups,
    AttachedManagedPolicies: attached(user.managedPolicies),
    PermissionsBoundary: boundary(user.permissionsBoundary),
    Tags: [],
  };
}

type Entity = ScenarioUser | ScenarioAccount["groups"][number] | ScenarioAccount["roles"][number];

const boundaryOf = (entity: Entity): string | undefined =>
  "permissionsBoundary" in entity ? entity.permissionsBoundary : undefined;

function policyDetail(policy: ManagedPolicy) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.versionId,
    IsAttachable: true,
    CreateDate: policy.created,
    UpdateDate: policy.created,
    PolicyVersionList: [
      {
        Document: encodeDocument(policy.document),
        VersionId: policy.versionId,
        IsDefaultVersion: true,
        CreateDate: policy.created,
      },
    ],
  };
}

const getAccountPasswordPolicy: Handler = (ctx) => {
  const policy = ctx.account.passwordPolicy;
  if (!policy) {
    throw new AwsError(
      "NoSuchEntity",
      `The Password Policy with domain name ${ctx.account.id} cannot be found.`,
      404,
    );
  }
  return {
    PasswordPolicy: {
      MinimumPasswordLength: policy.minimumPasswordLength,
      RequireSymbols: policy.requireSymbols,
      RequireNumbers: policy.requireNumbers,
      RequireUppercaseCharacters: policy.requireUppercaseCharacters,
      RequireLowercaseCharacters: policy.requireLowercaseCharacters,
      AllowUsersToChangePassword: policy.allowUsersToChangePassword,
      ExpirePasswords: policy.maxPasswordAge !== undefined,
      MaxPasswordAge: policy.maxPasswordAge,
      PasswordReusePrevention: policy.passwordReusePrevention,
      HardExpiry: policy.hardExpiry,
    },
  };
};

const listOpenIDConnectProviders: Handler = (ctx) => ({
  OpenIDConnectProviderList: ctx.account.oidcProviders.map((provider) => ({
    Arn: `arn:aws:iam::${ctx.account.id}:oidc-provider/${provider.replace(/^https:\/\//, "")}`,
  })),
});

const listSAMLProviders: Handler = (ctx) => {
  const now = ctx.now();
  const created = accountCreated(ctx.account, now);
  return {
    SAMLProviderList: ctx.account.samlProviders.map((name) => ({
      Arn: `arn:aws:iam::${ctx.account.id}:saml-provider/${name}`,
      ValidUntil: new Date(now.getTime() + 365 * 86400e3),
      CreateDate: created,
    })),
  };
};

const listOrganizationsFeatures: Handler = (ctx) => {
  const org = ctx.scenario.organization;
  if (!org) {
    throw new AwsError(
      "OrganizationNotFoundException",
      "The request was rejected because no organization is associated with your account.",
    );
  }
  if (org.featureSet !== "ALL") {
    throw new AwsError(
      "OrganizationNotInAllFeaturesModeException",
      "The request was rejected because your organization does not have All features enabled.",
    );
  }
  const id = ctx.account.id;
  if (id !== org.managementAccount && !org.delegatedAdministrators.includes(id)) {
    throw new AwsError(
      "AccountNotManagementOrDelegatedAdministratorException",
      "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.",
    );
  }
  return { OrganizationId: org.id, EnabledFeatures: org.rootFeatures };
};

const handlers: Record<string, Handler> = {
  GetAccountSummary: getAccountSummary,
  GenerateCredentialReport: generateCredentialReport,
  GetCredentialReport: getCredentialReport,
  ListVirtualMFADevices: listVirtualMFADevices,
  ListMFADevices: listMFADevices,
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
  GetAccountPasswordPolicy: getAccountPasswordPolicy,
  ListOpenIDConnectProviders: listOpenIDConnectProviders,
  ListSAMLProviders: listSAMLProviders,
  ListOrganizationsFeatures: listOrganizationsFeatures,
  ListAccessKeys: listAccessKeys,
  GetLoginProfile: getLoginProfile,
  ListSigningCertificates: listSigningCertificates,
  GetUser: getUser,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  ...iamWriteHandlers,
};

/** An sts:AssumeRoot session may call only what its audit task policy allows. */
function withRootTaskPolicy(operation: string, handler: Handler): Handler {
  if (ROOT_TASK_OPERATIONS.has(operation)) return handler;
  return (ctx) => {
    if (ctx.principal.kind === "root-session") throw accessDenied(ctx, rootArn(ctx.account));
    return handler(ctx);
  };
}

export const iam: ServiceDefinition = {
  name: "iam",
  protocol: "query",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  handlers: Object.fromEntries(
    Object.entries(handlers).map(([operation, handler]) => [
      operation,
      withRootTaskPolicy(operation, handler),
    ]),
  ),
};
