import {
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOpenIDConnectProvidersCommand,
  ListOrganizationsFeaturesCommand,
  ListSAMLProvidersCommand,
  ListSigningCertificatesCommand,
  ListVirtualMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { AssumeRootCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";
import { AWS_MANAGED_POLICY_ARNS } from "./iam/managed-policies.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const MANAGEMENT = "999999999999";
const A = "111111111111";
const B = "222222222222";
const DELEGATED = "333333333333";
const DAY = 86400e3;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const denyWithoutMfa = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      NotAction: ["iam:ListMFADevices"],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    },
  ],
};
const trustPolicy = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" },
  ],
};

const accountA = {
  id: A,
  name: "Alpha",
  root: {
    password: { lastUsed: "3d ago" },
    mfa: [
      { type: "virtual", enabled: "400d ago" },
      { type: "fido", name: "yubikey", enabled: "100d ago" },
      { type: "hardware", enabled: "50d ago" },
    ],
    accessKeys: [
      { created: "500d ago", lastUsed: "2d ago", lastUsedService: "s3", lastUsedRegion: "us-east-1" },
    ],
    certificates: [{ created: "600d ago" }],
  },
  users: [
    {
      name: "alice",
      path: "/eng/",
      created: "300d ago",
      password: { created: "300d ago", lastUsed: "1d ago" },
      mfa: [
        { type: "virtual", name: "alice-phone", enabled: "299d ago" },
        { type: "fido", enabled: "10d ago" },
      ],
      accessKeys: [
        { id: "AKIAALICE00000000001", created: "30d ago", lastUsed: "1d ago", lastUsedService: "iam" },
      ],
      groups: ["admins"],
      inlinePolicies: { "self-service": { Version: "2012-10-17", Statement: [] } },
      managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess", "deny-without-mfa"],
      permissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
    },
    {
      name: "bob",
      created: "200d ago",
      mfa: [
        { type: "hardware", name: "GAHT12345678", enabled: "20d ago" },
        { type: "sms", enabled: "20d ago" },
      ],
      managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    },
  ],
  groups: [{ name: "admins", managedPolicies: ["arn:aws:iam::aws:policy/IAMFullAccess"] }],
  policies: [{ name: "deny-without-mfa", document: denyWithoutMfa }],
  roles: [{ name: "auditor", trustPolicy, managedPolicies: ["arn:aws:iam::aws:policy/SecurityAudit"] }],
  passwordPolicy: { minimumPasswordLength: 14, requireSymbols: true, maxPasswordAge: 90 },
  oidcProviders: ["https://token.actions.githubusercontent.com"],
  samlProviders: ["Okta"],
  unassignedMfaDevices: ["spare-phone"],
};

const organization = {
  id: "o-abcdefghij",
  managementAccount: MANAGEMENT,
  rootFeatures: ["RootCredentialsManagement", "RootSessions"],
  delegatedAdministrators: [DELEGATED],
};

const orgScenario = () =>
  parseScenario(
    {
      name: "iam",
      organization,
      accounts: [
        { id: MANAGEMENT, name: "Management", root: { password: false } },
        accountA,
        { id: B, name: "Beta", root: { password: false } },
        { id: DELEGATED, name: "Security" },
      ],
    },
    NOW,
  );

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(scenario = orgScenario()) {
  emulator = await createEmulator({ scenario, now: () => NOW });
  return emulator;
}

function iamFor(accountId: string): IAMClient {
  if (!emulator) throw new Error("start the emulator first");
  return new IAMClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(accountId),
  });
}

/** An IAM client inside an sts:AssumeRoot session on `accountId`, opened from the management account. */
async function rootSession(accountId: string): Promise<IAMClient> {
  if (!emulator) throw new Error("start the emulator first");
  const sts = new STSClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(MANAGEMENT),
  });
  const { Credentials } = await sts.send(
    new AssumeRootCommand({
      TargetPrincipal: accountId,
      TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" },
    }),
  );
  return new IAMClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    },
  });
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
}

describe("GetAccountSummary", () => {
  it("counts virtual devices, unassigned too, as MFADevices and assigned devices of every type as MFADevicesInUse", async () => {
    await start();
    const { SummaryMap } = await iamFor(A).send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 1,
      AccountPasswordPresent: 1,
      AccountSigningCertificatesPresent: 1,
      MFADevices: 3,
      MFADevicesInUse: 7,
      Users: 2,
      Groups: 1,
      Roles: 1,
      Policies: 1,
      Providers: 2,
      UsersQuota: 5000,
      AccessKeysPerUserQuota: 2,
    });
    const management = await iamFor(MANAGEMENT).send(new GetAccountSummaryCommand({}));
    expect(management.SummaryMap).toMatchObject({
      AccountMFAEnabled: 0,
      AccountAccessKeysPresent: 0,
      AccountPasswordPresent: 0,
      AccountSigningCertificatesPresent: 0,
      MFADevices: 0,
      Users: 0,
    });
  });

  it("says root has access keys when its only key is inactive, and MFA when its only device is a hardware token", async () => {
    await start(
      parseScenario(
        {
          name: "root flags",
          accounts: [
            {
              id: B,
              name: "Beta",
              root: {
                mfa: [{ type: "hardware", enabled: "5d ago" }],
                accessKeys: [{ active: false, created: "90d ago" }],
              },
            },
          ],
        },
        NOW,
      ),
    );
    const { SummaryMap } = await iamFor(B).send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({
      AccountAccessKeysPresent: 1,
      AccountMFAEnabled: 1,
      MFADevices: 0,
      MFADevicesInUse: 1,
    });
  });
});

describe("MFA devices", () => {
  it("lists virtual devices: root's with User.Arn …:root and no UserName, users' with their details, unassigned ones bare", async () => {
    await start();
    const all = await iamFor(A).send(new ListVirtualMFADevicesCommand({}));
    expect(all.IsTruncated).toBe(false);
    expect(all.VirtualMFADevices).toEqual([
      {
        SerialNumber: `arn:aws:iam::${A}:mfa/root-account-mfa-device`,
        User: { UserId: A, Arn: `arn:aws:iam::${A}:root`, CreateDate: ago(600), PasswordLastUsed: ago(3) },
        EnableDate: ago(400),
      },
      {
        SerialNumber: `arn:aws:iam::${A}:mfa/alice-phone`,
        User: {
          Path: "/eng/",
          UserName: "alice",
          UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
          Arn: `arn:aws:iam::${A}:user/eng/alice`,
          CreateDate: ago(300),
          PasswordLastUsed: ago(1),
        },
        EnableDate: ago(299),
      },
      { SerialNumber: `arn:aws:iam::${A}:mfa/spare-phone` },
    ]);
    const assigned = await iamFor(A).send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" }));
    expect(assigned.VirtualMFADevices).toHaveLength(2);
    const unassigned = await iamFor(A).send(
      new ListVirtualMFADevicesCommand({ AssignmentStatus: "Unassigned" }),
    );
    expect(unassigned.VirtualMFADevices).toEqual([{ SerialNumber: `arn:aws:iam::${A}:mfa/spare-phone` }]);
  });

  it("lists a user's devices of every kind with AWS's serial forms", async () => {
    await start();
    const alice = await iamFor(A).send(new ListMFADevicesCommand({ UserName: "alice" }));
    expect(alice.MFADevices?.map((d) => [d.UserName, d.SerialNumber, d.EnableDate])).toEqual([
      ["alice", `arn:aws:iam::${A}:mfa/alice-phone`, ago(299)],
      [
        "alice",
        expect.stringMatching(new RegExp(`^arn:aws:iam::${A}:u2f/user/alice/security-key-[A-Z2-7]{26}$`)),
        ago(10),
      ],
    ]);
    const bob = await iamFor(A).send(new ListMFADevicesCommand({ UserName: "bob" }));
    expect(bob.MFADevices?.map((d) => d.SerialNumber)).toEqual([
      "GAHT12345678",
      `arn:aws:iam::${A}:sms-mfa/bob`,
    ]);
  });

  it("answers NoSuchEntity for an unknown user and AccessDenied for root's devices outside AssumeRoot", async () => {
    await start();
    const unknown = await failure(iamFor(A).send(new ListMFADevicesCommand({ UserName: "mallory" })));
    expect(unknown.name).toBe("NoSuchEntityException");
    expect(unknown.message).toBe("The user with name mallory cannot be found.");
    expect(unknown.$metadata.httpStatusCode).toBe(404);
    const own = await failure(iamFor(A).send(new ListMFADevicesCommand({})));
    expect(own.name).toBe("AccessDenied");
    expect(own.$metadata.httpStatusCode).toBe(403);
  });
});

describe("the sts:AssumeRoot audit", () => {
  it("reads root's devices of every kind, keys, password, certificates and user", async () => {
    await start();
    const root = await rootSession(A);
    const devices = await root.send(new ListMFADevicesCommand({}));
    expect(devices.MFADevices?.map((d) => [d.UserName, d.SerialNumber, d.EnableDate])).toEqual([
      [undefined, `arn:aws:iam::${A}:mfa/root-account-mfa-device`, ago(400)],
      [
        undefined,
        expect.stringMatching(new RegExp(`^arn:aws:iam::${A}:u2f/root/yubikey-[A-Z2-7]{26}$`)),
        ago(100),
      ],
      [undefined, expect.stringMatching(/^GAHT\d{8}$/), ago(50)],
    ]);

    const keys = await root.send(new ListAccessKeysCommand({}));
    expect(keys.AccessKeyMetadata).toEqual([
      { AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/), Status: "Active", CreateDate: ago(500) },
    ]);
    const keyId = keys.AccessKeyMetadata?.[0]?.AccessKeyId;
    const lastUsed = await root.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
    expect(lastUsed.AccessKeyLastUsed).toEqual({
      LastUsedDate: ago(2),
      ServiceName: "s3",
      Region: "us-east-1",
    });

    const login = await root.send(new GetLoginProfileCommand({}));
    expect(login.LoginProfile?.CreateDate).toEqual(ago(600));
    const certs = await root.send(new ListSigningCertificatesCommand({}));
    expect(certs.Certificates?.map((c) => [c.Status, c.UploadDate])).toEqual([["Active", ago(600)]]);
    const user = await root.send(new GetUserCommand({}));
    expect(user.User).toMatchObject({ UserId: A, Arn: `arn:aws:iam::${A}:root` });
    expect((await root.send(new GetAccountSummaryCommand({}))).SummaryMap?.AccountMFAEnabled).toBe(1);
  });

  it("allows nothing beyond the audit task policy, and answers NoSuchEntity for a root without password", async () => {
    await start();
    const root = await rootSession(A);
    const report = await failure(root.send(new GetCredentialReportCommand({})));
    expect(report.name).toBe("AccessDenied");
    const userDevices = await failure(root.send(new ListMFADevicesCommand({ UserName: "alice" })));
    expect(userDevices.name).toBe("AccessDenied");

    const noPassword = await failure((await rootSession(B)).send(new GetLoginProfileCommand({})));
    expect(noPassword.name).toBe("NoSuchEntityException");
    expect(noPassword.$metadata.httpStatusCode).toBe(404);
  });

  it("serves the same reads for IAM users by UserName", async () => {
    await start();
    const iam = iamFor(A);
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: "alice" }));
    expect(keys.AccessKeyMetadata).toEqual([
      { UserName: "alice", AccessKeyId: "AKIAALICE00000000001", Status: "Active", CreateDate: ago(30) },
    ]);
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: "AKIAALICE00000000001" }));
    expect(lastUsed).toMatchObject({
      UserName: "alice",
      AccessKeyLastUsed: { LastUsedDate: ago(1), ServiceName: "iam", Region: "N/A" },
    });
    expect((await iam.send(new GetLoginProfileCommand({ UserName: "alice" }))).LoginProfile).toEqual({
      UserName: "alice",
      CreateDate: ago(300),
      PasswordResetRequired: false,
    });
    const noPassword = await failure(iam.send(new GetLoginProfileCommand({ UserName: "bob" })));
    expect(noPassword.name).toBe("NoSuchEntityException");
    expect(noPassword.message).toBe("Login Profile for User bob cannot be found.");
    expect((await iam.send(new GetUserCommand({ UserName: "bob" }))).User).toMatchObject({
      Path: "/",
      UserName: "bob",
      Arn: `arn:aws:iam::${A}:user/bob`,
    });
    expect((await failure(iam.send(new ListAccessKeysCommand({})))).name).toBe("AccessDenied");
  });
});

const decode = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? ""));

describe("GetAccountAuthorizationDetails", () => {
  it("returns users, groups, roles and managed policies with URL-encoded documents", async () => {
    await start();
    const details = await iamFor(A).send(new GetAccountAuthorizationDetailsCommand({}));
    expect(details.IsTruncated).toBe(false);
    const [alice, bob] = details.UserDetailList ?? [];
    expect(alice).toMatchObject({
      UserName: "alice",
      Path: "/eng/",
      Arn: `arn:aws:iam::${A}:user/eng/alice`,
      GroupList: ["admins"],
      AttachedManagedPolicies: [
        { PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        { PolicyName: "deny-without-mfa", PolicyArn: `arn:aws:iam::${A}:policy/deny-without-mfa` },
      ],
      PermissionsBoundary: {
        PermissionsBoundaryType: "PermissionsBoundaryPolicy",
        PermissionsBoundaryArn: "arn:aws:iam::aws:policy/PowerUserAccess",
      },
    });
    const inline = alice?.UserPolicyList?.[0];
    expect(inline?.PolicyName).toBe("self-service");
    expect(inline?.PolicyDocument).toBe("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
    expect(bob?.PermissionsBoundary).toBeUndefined();

    expect(details.GroupDetailList).toMatchObject([
      {
        GroupName: "admins",
        Arn: `arn:aws:iam::${A}:group/admins`,
        AttachedManagedPolicies: [{ PolicyName: "IAMFullAccess" }],
      },
    ]);
    const [role] = details.RoleDetailList ?? [];
    expect(role).toMatchObject({
      RoleName: "auditor",
      Arn: `arn:aws:iam::${A}:role/auditor`,
      InstanceProfileList: [],
    });
    expect(role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(decode(role?.AssumeRolePolicyDocument)).toEqual(trustPolicy);

    const policies = new Map(details.Policies?.map((p) => [p.PolicyName, p]));
    expect([...policies.keys()]).toEqual([
      "deny-without-mfa",
      "AdministratorAccess",
      "PowerUserAccess",
      "IAMFullAccess",
      "SecurityAudit",
    ]);
    const local = policies.get("deny-without-mfa");
    expect(local).toMatchObject({ Arn: `arn:aws:iam::${A}:policy/deny-without-mfa`, AttachmentCount: 1 });
    expect(decode(local?.PolicyVersionList?.[0]?.Document)).toEqual(denyWithoutMfa);
    const admin = policies.get("AdministratorAccess");
    expect(admin).toMatchObject({ DefaultVersionId: "v1", AttachmentCount: 2, IsAttachable: true });
    expect(decode(admin?.PolicyVersionList?.[0]?.Document)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    expect(policies.get("PowerUserAccess")).toMatchObject({
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 1,
    });
    const audit = decode(policies.get("SecurityAudit")?.PolicyVersionList?.[0]?.Document);
    expect(audit.Statement[0].Action).toEqual(
      expect.arrayContaining(["iam:GenerateCredentialReport", "iam:List*"]),
    );
  });

  it("honours Filter", async () => {
    await start();
    const details = await iamFor(A).send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ["LocalManagedPolicy", "Role"] }),
    );
    expect(details.UserDetailList).toEqual([]);
    expect(details.GroupDetailList).toEqual([]);
    expect(details.RoleDetailList?.map((r) => r.RoleName)).toEqual(["auditor"]);
    expect(details.Policies?.map((p) => p.PolicyName)).toEqual(["deny-without-mfa"]);
  });

  it("serves every AWS managed policy it knows with its real document", async () => {
    await start(
      parseScenario(
        {
          name: "aws managed",
          accounts: [
            {
              id: A,
              name: "Alpha",
              roles: [{ name: "r", trustPolicy, managedPolicies: AWS_MANAGED_POLICY_ARNS }],
            },
          ],
        },
        NOW,
      ),
    );
    const { Policies } = await iamFor(A).send(new GetAccountAuthorizationDetailsCommand({}));
    expect(Policies?.map((p) => p.Arn)).toEqual(AWS_MANAGED_POLICY_ARNS);
    expect(AWS_MANAGED_POLICY_ARNS).toEqual(
      expect.arrayContaining([
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/IAMFullAccess",
        "arn:aws:iam::aws:policy/SecurityAudit",
      ]),
    );
    for (const policy of Policies ?? []) {
      const document = decode(policy.PolicyVersionList?.[0]?.Document);
      expect(document.Version).toBe("2012-10-17");
      expect(document.Statement.length).toBeGreaterThan(0);
      expect(policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    }
  });

  it("answers NoSuchEntity when the scenario attaches a managed policy the emulator does not know", async () => {
    await start(
      parseScenario(
        {
          name: "unknown policy",
          accounts: [
            {
              id: A,
              name: "Alpha",
              roles: [{ name: "r", trustPolicy, managedPolicies: ["arn:aws:iam::aws:policy/Nope"] }],
            },
          ],
        },
        NOW,
      ),
    );
    const error = await failure(iamFor(A).send(new GetAccountAuthorizationDetailsCommand({})));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.message).toBe("Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.");
  });
});

describe("paging", () => {
  const many = () =>
    parseScenario(
      {
        name: "many users",
        accounts: [
          {
            id: A,
            name: "Alpha",
            users: Array.from({ length: 250 }, (_, i) => ({
              name: `user${String(i).padStart(3, "0")}`,
              created: "10d ago",
              mfa: [{ type: "virtual", enabled: "9d ago" }],
            })),
          },
        ],
      },
      NOW,
    );

  it("pages ListVirtualMFADevices and GetAccountAuthorizationDetails with Marker", async () => {
    await start(many());
    const iam = iamFor(A);
    const sizes: number[] = [];
    const serials: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 100, Marker: marker }));
      sizes.push(page.VirtualMFADevices?.length ?? 0);
      serials.push(...(page.VirtualMFADevices ?? []).map((d) => d.SerialNumber ?? ""));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(serials).size).toBe(250);
    expect(serials[249]).toBe(`arn:aws:iam::${A}:mfa/user249`);

    const first = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["User"] }));
    expect(first.UserDetailList).toHaveLength(100);
    expect(first.IsTruncated).toBe(true);
    const last = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ["User"], MaxItems: 1000, Marker: first.Marker }),
    );
    expect(last.UserDetailList?.map((u) => u.UserName)[0]).toBe("user100");
    expect(last.UserDetailList).toHaveLength(150);
    expect(last.IsTruncated).toBe(false);
    expect(last.Marker).toBeUndefined();
  });

  it("answers ValidationError for MaxItems out of 1..1000 and for a foreign Marker", async () => {
    await start(many());
    const iam = iamFor(A);
    const zero = await failure(iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 0 })));
    expect(zero.name).toBe("ValidationError");
    expect(zero.message).toBe(
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(zero.$metadata.httpStatusCode).toBe(400);
    const tooMany = await failure(iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1001 })));
    expect(tooMany.name).toBe("ValidationError");
    expect(tooMany.message).toContain("less than or equal to 1000");
    const { Marker } = await iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 10 }));
    const foreign = await failure(iam.send(new GetAccountAuthorizationDetailsCommand({ Marker })));
    expect(foreign.name).toBe("ValidationError");
  });
});

describe("account settings", () => {
  it("returns the password policy, or NoSuchEntity with AWS's message", async () => {
    await start();
    const { PasswordPolicy } = await iamFor(A).send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: false,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      HardExpiry: false,
    });
    const none = await failure(iamFor(MANAGEMENT).send(new GetAccountPasswordPolicyCommand({})));
    expect(none.name).toBe("NoSuchEntityException");
    expect(none.message).toBe(`The Password Policy with domain name ${MANAGEMENT} cannot be found.`);
    expect(none.$metadata.httpStatusCode).toBe(404);
  });

  it("lists OIDC and SAML providers", async () => {
    await start();
    const oidc = await iamFor(A).send(new ListOpenIDConnectProvidersCommand({}));
    expect(oidc.OpenIDConnectProviderList).toEqual([
      { Arn: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com` },
    ]);
    const saml = await iamFor(A).send(new ListSAMLProvidersCommand({}));
    expect(saml.SAMLProviderList).toEqual([
      { Arn: `arn:aws:iam::${A}:saml-provider/Okta`, ValidUntil: expect.any(Date), CreateDate: ago(600) },
    ]);
    expect((await iamFor(MANAGEMENT).send(new ListSAMLProvidersCommand({}))).SAMLProviderList).toEqual([]);
  });
});

describe("ListOrganizationsFeatures", () => {
  it("answers the management and delegated administrator accounts, refuses members", async () => {
    await start();
    for (const id of [MANAGEMENT, DELEGATED]) {
      const features = await iamFor(id).send(new ListOrganizationsFeaturesCommand({}));
      expect(features.OrganizationId).toBe("o-abcdefghij");
      expect(features.EnabledFeatures).toEqual(["RootCredentialsManagement", "RootSessions"]);
    }
    const member = await failure(iamFor(A).send(new ListOrganizationsFeaturesCommand({})));
    expect(member.name).toBe("AccountNotManagementOrDelegatedAdministratorException");
    expect(member.$metadata.httpStatusCode).toBe(400);
  });

  it("answers OrganizationNotFoundException outside an organization and OrganizationNotInAllFeaturesModeException", async () => {
    await start(parseScenario({ name: "alone", accounts: [{ id: A, name: "Alpha" }] }, NOW));
    const alone = await failure(iamFor(A).send(new ListOrganizationsFeaturesCommand({})));
    expect(alone.name).toBe("OrganizationNotFoundException");
    await emulator?.close();

    await start(
      parseScenario(
        {
          name: "billing only",
          organization: { id: "o-abcdefghij", managementAccount: A, featureSet: "CONSOLIDATED_BILLING" },
          accounts: [{ id: A, name: "Alpha" }],
        },
        NOW,
      ),
    );
    const billing = await failure(iamFor(A).send(new ListOrganizationsFeaturesCommand({})));
    expect(billing.name).toBe("OrganizationNotInAllFeaturesModeException");
  });
});
