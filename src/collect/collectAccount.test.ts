import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ClientFactory, createClientFactory } from "../aws/clients.js";
import { checks } from "../checks/index.js";
import { parseScenario } from "../emulator/scenario.js";
import type { Emulator } from "../emulator/server.js";
import { services } from "../emulator/services/index.js";
import { AwsError, type Handler, type RequestContext, type ServiceDefinition } from "../emulator/types.js";
import { runChecks } from "../engine/runChecks.js";
import type { AccountSnapshot, Section } from "../snapshot/types.js";
import { SECTION_NAMES } from "../snapshot/types.js";
import { CollectError, type CollectProgress, collectAccount } from "./collectAccount.js";
import {
  fastOptions,
  MANAGEMENT,
  MEMBER,
  STANDALONE,
  startEmulator,
  testScenario,
  withEmulator,
} from "./test-support/emulator.js";

function ok<T>(section: Section<T>): T {
  if (section.status !== "ok") throw new Error(`section failed: ${JSON.stringify(section.error)}`);
  return section.data;
}

/** The emulator's IAM with one handler wrapped, for answers no fault kind produces. */
function withHandler(
  operation: string,
  wrap: (ctx: RequestContext, real: (ctx: RequestContext) => unknown) => unknown,
): ServiceDefinition {
  const real = services.iam.handlers[operation] as Handler;
  return {
    ...services.iam,
    handlers: { ...services.iam.handlers, [operation]: (ctx: RequestContext) => wrap(ctx, (c) => real(c)) },
  };
}

const errorOf = <T>(section: Section<T>) => (section.status === "error" ? section.error : null);

describe("collectAccount: the full organization scenario", () => {
  let emulator: Emulator;
  let snapshot: AccountSnapshot;
  const progress: CollectProgress[] = [];
  const now = new Date();
  beforeAll(async () => {
    emulator = await startEmulator("collect-full");
    // maxAttempts 1: a LookupEvents call above CloudTrail's 2 per second would fail the section.
    snapshot = await collectAccount({
      ...fastOptions(emulator, MANAGEMENT),
      maxAttempts: 1,
      now: () => now,
      onProgress: (p) => progress.push(p),
    });
  });
  afterAll(() => emulator.close());

  it("fills every section, ok, and describes the run", () => {
    expect(Object.keys(snapshot.sections).sort()).toEqual([...SECTION_NAMES].sort());
    expect(SECTION_NAMES.filter((name) => snapshot.sections[name].status !== "ok")).toEqual([]);
    expect(snapshot).toMatchObject({
      schemaVersion: 1,
      tool: { name: "mfawatch" },
      accountId: MANAGEMENT,
      partition: "aws",
      region: "us-east-1",
      collectedAt: now.toISOString(),
    });
    expect(progress.map((p) => p.section).sort()).toEqual([...SECTION_NAMES].sort());
    expect(progress.every((p) => p.status === "ok" && p.durationMs >= 0)).toBe(true);
  });

  it("reads the caller, the account summary and the credential report", () => {
    expect(ok(snapshot.sections.callerIdentity)).toEqual({
      account: MANAGEMENT,
      arn: `arn:aws:iam::${MANAGEMENT}:root`,
      userId: expect.any(String),
    });
    expect(ok(snapshot.sections.accountSummary)).toMatchObject({ AccountMFAEnabled: 1, Users: 3 });
    const report = ok(snapshot.sections.credentialReport);
    expect(Date.parse(report.generatedTime)).toBeGreaterThan(now.getTime() - 60_000);
    expect(report.root).toMatchObject({ arn: `arn:aws:iam::${MANAGEMENT}:root`, mfaActive: true });
    expect(report.users.map((u) => [u.user, u.mfaActive, u.passwordLastUsed === "no_information"])).toEqual([
      ["alice", true, false],
      ["bob", false, true],
      ["carol", true, true],
    ]);
    expect(report.users[1]?.accessKeys[0]).toMatchObject({ active: true, lastUsedService: "s3" });
    expect(report.users[1]?.accessKeys[1]).toMatchObject({ active: false, lastRotated: "N/A" });
  });

  it("reads virtual devices and the devices of users who hold one", () => {
    const virtual = ok(snapshot.sections.virtualMfaDevices);
    expect(virtual.map((d) => [d.serialNumber.split("/").pop(), d.userArn])).toEqual([
      ["root-account-mfa-device", `arn:aws:iam::${MANAGEMENT}:root`],
      ["alice-phone", `arn:aws:iam::${MANAGEMENT}:user/alice`],
    ]);
    const devices = ok(snapshot.sections.userMfaDevices).byUser;
    expect(Object.keys(devices)).toEqual(["alice"]);
    expect(devices.alice?.map((d) => d.serialNumber)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:mfa/alice-phone`,
      expect.stringMatching(new RegExp(`^arn:aws:iam::${MANAGEMENT}:u2f/user/alice/alice-key-`)),
    ]);
    expect(emulator.callLog.filter((c) => c.operation === "ListMFADevices")).toHaveLength(1);
  });

  it("reads users, groups, roles and managed policies with decoded documents", () => {
    const details = ok(snapshot.sections.authorizationDetails);
    const alice = details.users.find((u) => u.userName === "alice");
    expect(alice).toMatchObject({ groups: ["Admins"], permissionsBoundaryArn: null });
    const scenarioAlice = testScenario("collect-full").accounts[0]?.users.find((u) => u.name === "alice");
    expect(alice?.inlinePolicies).toEqual([
      { name: "SelfManage", document: scenarioAlice?.inlinePolicies.SelfManage },
    ]);
    expect(details.users.find((u) => u.userName === "bob")).toMatchObject({
      attachedManagedPolicies: [{ name: "ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      permissionsBoundaryArn: `arn:aws:iam::${MANAGEMENT}:policy/Boundary`,
    });
    expect(details.groups[0]?.inlinePolicies[0]?.document).toMatchObject({
      Statement: [{ Effect: "Deny", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }],
    });
    const role = details.roles[0];
    expect(role?.assumeRolePolicyDocument).toMatchObject({ Statement: [{ Action: "sts:AssumeRole" }] });
    expect(role?.inlinePolicies[0]?.document).toMatchObject({ Statement: [{ Action: "config:Describe*" }] });
    const boundary = details.policies.find((p) => p.policyName === "Boundary");
    expect(boundary?.document).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:*", "iam:Get*"], Resource: "*" }],
    });
    const admin = details.policies.find((p) => p.policyName === "AdministratorAccess");
    expect(admin?.document).toMatchObject({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    expect(admin?.defaultVersionId).toMatch(/^v\d+$/);
  });

  it("reads the password policy and identity providers", () => {
    expect(ok(snapshot.sections.passwordPolicy)).toMatchObject({
      minimumPasswordLength: 14,
      requireSymbols: true,
      passwordReusePrevention: 24,
      maxPasswordAge: 90,
      expirePasswords: true,
    });
    const providers = ok(snapshot.sections.identityProviders);
    expect(providers.oidc).toEqual([
      expect.stringContaining("oidc-provider/token.actions.githubusercontent.com"),
    ]);
    expect(providers.saml).toEqual([expect.stringContaining("saml-provider/Okta")]);
  });

  it("reads enabled regions and the AWS managed MFA Config rules of each region read", () => {
    expect(ok(snapshot.sections.regions)).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    const config = ok(snapshot.sections.configRules);
    expect(config).toMatchObject({ region: "us-east-1", failedRegions: [] });
    expect(config.rules.filter((r) => r.region === "us-east-1")).toEqual([
      expect.objectContaining({
        name: "root-mfa",
        sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED",
        compliance: "COMPLIANT",
      }),
      expect.objectContaining({ name: "console-mfa", compliance: "NON_COMPLIANT", state: "ACTIVE" }),
      expect.objectContaining({ name: "hw-mfa", sourceIdentifier: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" }),
    ]);
    const elsewhere = config.rules
      .filter((r) => r.region !== "us-east-1")
      .map((r) => `${r.name}@${r.region}`);
    expect(elsewhere).toEqual(config.regions?.includes("eu-west-1") ? ["other-region-mfa@eu-west-1"] : []);
  });

  it("reads sign-ins in every enabled region and IAM changes in us-east-1, paced", () => {
    const trail = ok(snapshot.sections.cloudTrail);
    expect(trail.regions).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(Date.parse(trail.end) - Date.parse(trail.start)).toBe(30 * 86_400_000);
    expect(trail.end).toBe(now.toISOString());
    expect(trail.events.map((e) => `${e.eventName}@${e.region}`).sort()).toEqual(
      [
        "ConsoleLogin@us-east-1",
        "ConsoleLogin@eu-west-1",
        "UserAuthentication@us-east-1",
        "DeactivateMFADevice@us-east-1",
        "CreateAccessKey@us-east-1",
      ].sort(),
    );
    const login = trail.events.find((e) => e.eventName === "ConsoleLogin" && e.region === "us-east-1");
    expect(login?.detail).toMatchObject({ additionalEventData: { MFAUsed: "Yes" } });
    const lookups = emulator.callLog.filter((c) => c.operation === "LookupEvents");
    expect(lookups.filter((c) => c.region === "us-east-1")).toHaveLength(9);
    expect(lookups.filter((c) => c.region === "eu-west-1")).toHaveLength(2);
    expect(lookups.every((c) => c.status === 200)).toBe(true);
  });

  it("reads Identity Center, the organization, root access features and SCPs", () => {
    const center = ok(snapshot.sections.identityCenter);
    expect(center.regions).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(center.instances).toEqual([
      expect.objectContaining({ identityStoreId: "d-9067000000", region: "eu-west-1", status: "ACTIVE" }),
    ]);
    expect(center.users.map((u) => u.userName).sort()).toEqual(["dave", "erin"]);
    expect(ok(snapshot.sections.organization)).toEqual({
      inOrganization: true,
      organizationId: "o-abcdef1234",
      managementAccountId: MANAGEMENT,
      featureSet: "ALL",
    });
    expect(ok(snapshot.sections.rootCredentialsManagement)).toEqual({
      enabledFeatures: ["RootCredentialsManagement"],
    });
    const scps = ok(snapshot.sections.serviceControlPolicies);
    expect(scps.targets).toEqual([MANAGEMENT, "r-ab12"]);
    expect(scps.policies.map((p) => `${p.name}@${p.targetId}`).sort()).toEqual(
      [
        `FullAWSAccess@${MANAGEMENT}`,
        `RootGuard@${MANAGEMENT}`,
        "FullAWSAccess@r-ab12",
        "RootGuard@r-ab12",
      ].sort(),
    );
    expect(scps.policies.find((p) => p.name === "RootGuard")?.document).toMatchObject({
      Statement: [{ Effect: "Deny", Action: "*" }],
    });
    expect(emulator.callLog.filter((c) => c.operation === "DescribePolicy")).toHaveLength(2);
  });
});

describe.concurrent("collectAccount: other accounts", () => {
  it("closes each regional client (Config, CloudTrail, Identity Center) once its region is read", async () => {
    await withEmulator("collect-full", async (e) => {
      const inner = createClientFactory({
        credentials: e.credentialsFor(MANAGEMENT),
        region: "us-east-1",
        endpoint: e.endpoint,
        maxAttempts: 1,
      });
      const open = new Set<string>();
      const regional = new Set(["config", "cloudtrail", "ssoAdmin"]);
      const clients: ClientFactory = {
        region: inner.region,
        get(service, region) {
          if (regional.has(service)) open.add(`${service} ${region}`);
          return inner.get(service, region);
        },
        release(service, region) {
          open.delete(`${service} ${region}`);
          inner.release(service, region);
        },
        destroy: () => inner.destroy(),
      };
      try {
        const snapshot = await collectAccount({ ...fastOptions(e, MANAGEMENT), maxAttempts: 1, clients });
        expect(ok(snapshot.sections.regions).length).toBeGreaterThan(1);
        expect(ok(snapshot.sections.cloudTrail).regions).toEqual(ok(snapshot.sections.regions));
        expect([...open]).toEqual([]);
      } finally {
        clients.destroy();
      }
    });
  });

  it("a member account: SCPs up through its OU are refused, root access features too", async () => {
    const snapshot = await withEmulator("collect-full", (e) => collectAccount(fastOptions(e, MEMBER)));
    expect(ok(snapshot.sections.organization)).toMatchObject({
      inOrganization: true,
      managementAccountId: MANAGEMENT,
    });
    expect(errorOf(snapshot.sections.rootCredentialsManagement)).toMatchObject({
      code: "AccountNotManagementOrDelegatedAdministratorException",
      operation: "iam:ListOrganizationsFeatures",
    });
    expect(errorOf(snapshot.sections.serviceControlPolicies)).toMatchObject({
      code: "AccessDeniedException",
      operation: "organizations:ListParents",
    });
    expect(ok(snapshot.sections.passwordPolicy)).toBeNull();
    expect(ok(snapshot.sections.virtualMfaDevices)).toEqual([]);
    expect(ok(snapshot.sections.userMfaDevices)).toEqual({ byUser: {} });
    expect(ok(snapshot.sections.identityCenter)).toEqual({
      regions: ["us-east-1"],
      failedRegions: [],
      instances: [],
      users: [],
    });
  });

  it("an account outside any organization, with the report's other value forms", async () => {
    const snapshot = await withEmulator("collect-standalone", (e) =>
      collectAccount(fastOptions(e, STANDALONE)),
    );
    expect(ok(snapshot.sections.organization)).toEqual({
      inOrganization: false,
      organizationId: null,
      managementAccountId: null,
      featureSet: null,
    });
    expect(ok(snapshot.sections.rootCredentialsManagement)).toEqual({ enabledFeatures: [] });
    expect(ok(snapshot.sections.serviceControlPolicies)).toEqual({ targets: [], policies: [] });
    expect(ok(snapshot.sections.configRules)).toEqual({
      region: "us-east-1",
      regions: ["us-east-1"],
      failedRegions: [],
      rules: [],
    });
    const report = ok(snapshot.sections.credentialReport);
    expect(report.root).toMatchObject({ passwordEnabled: false, passwordLastUsed: "N/A" });
    expect(report.users).toEqual([
      expect.objectContaining({ user: "frank", passwordEnabled: true, mfaActive: false }),
    ]);
  });

  it("a credential report without the root row gives root: null", async () => {
    const scenario = parseScenario({
      name: "no-root-row",
      accounts: [
        { id: STANDALONE, name: "A", regions: ["us-east-1"], credentialReport: { omitRootRow: true } },
      ],
    });
    const snapshot = await withEmulator(scenario, (e) => collectAccount(fastOptions(e, STANDALONE)));
    expect(ok(snapshot.sections.credentialReport)).toMatchObject({ root: null, users: [] });
  });

  it("gives up on a credential report that is not ready in time", async () => {
    const scenario = parseScenario({
      name: "slow-report",
      accounts: [
        { id: STANDALONE, name: "A", regions: ["us-east-1"], credentialReport: { delaySeconds: 30 } },
      ],
    });
    await withEmulator(scenario, async (e) => {
      const snapshot = await collectAccount(fastOptions(e, STANDALONE, { credentialReportWaitMs: 600 }));
      expect(errorOf(snapshot.sections.credentialReport)).toMatchObject({
        code: "CredentialReportTimeout",
        operation: "iam:GenerateCredentialReport",
      });
      expect(e.callLog.filter((c) => c.operation === "GenerateCredentialReport").length).toBeGreaterThan(1);
      expect(e.callLog.some((c) => c.operation === "GetCredentialReport")).toBe(false);
    });
  });

  it("waits through LimitExceeded from GenerateCredentialReport", async () => {
    let refusals = 2;
    const iam = withHandler("GenerateCredentialReport", (ctx, real) => {
      if (refusals-- > 0) throw new AwsError("LimitExceeded", "Too many report requests.", 409);
      return real(ctx);
    });
    await withEmulator({ scenario: testScenario("collect-standalone"), services: { iam } }, async (e) => {
      const snapshot = await collectAccount(fastOptions(e, STANDALONE));
      expect(ok(snapshot.sections.credentialReport).users).toHaveLength(1);
      const statuses = e.callLog
        .filter((c) => c.operation === "GenerateCredentialReport")
        .map((c) => c.status);
      expect(statuses.slice(0, 3)).toEqual([409, 409, 200]);
    });
  });

  it("refuses a credential report it cannot parse, as an error", async () => {
    const iam = withHandler("GetCredentialReport", (ctx, real) => ({
      ...(real(ctx) as object),
      Content: Buffer.from("user,arn\nalice,arn:aws:iam::333333333333:user/alice\n"),
    }));
    await withEmulator({ scenario: testScenario("collect-standalone"), services: { iam } }, async (e) => {
      const snapshot = await collectAccount(fastOptions(e, STANDALONE));
      expect(errorOf(snapshot.sections.credentialReport)).toMatchObject({
        code: "CredentialReportUnreadable",
        message: expect.stringContaining("lacks the columns"),
        operation: "iam:GetCredentialReport",
      });
    });
  });

  it("keeps an unexpected boolean cell as written: the row stays usable, the check that needs the cell says unknown", async () => {
    const iam = withHandler("GetCredentialReport", (ctx, real) => {
      const out = real(ctx) as { Content: Uint8Array };
      const lines = Buffer.from(out.Content).toString().split("\n");
      const column = lines[0]?.split(",").indexOf("access_key_1_active") ?? -1;
      const rows = lines.map((line) => {
        const cells = line.split(",");
        if (cells[0] === "frank") cells[column] = "Expired";
        return cells.join(",");
      });
      return { ...out, Content: Buffer.from(rows.join("\n")) };
    });
    await withEmulator({ scenario: testScenario("collect-standalone"), services: { iam } }, async (e) => {
      const snapshot = await collectAccount(fastOptions(e, STANDALONE));
      const [frank] = ok(snapshot.sections.credentialReport).users;
      expect(frank).toMatchObject({ user: "frank", passwordEnabled: true, mfaActive: false });
      expect(frank?.accessKeys[0].active).toBe("Expired");
      const results = runChecks(snapshot, checks);
      const of = (id: string) => results.filter((r) => r.checkId === id).map((r) => [r.resource, r.status]);
      const arn = `arn:aws:iam::${STANDALONE}:user/frank`;
      expect(of("access-key-rotation")).toEqual([[`${arn}#access_key_1`, "unknown"]]);
      expect(of("long-lived-keys")).toEqual([[arn, "unknown"]]);
      expect(of("user-console-mfa")).toEqual([[arn, "fail"]]);
      expect(of("access-key-console-user")).toEqual([[arn, "unknown"]]);
    });
  });

  it("retries a throttled call and keeps the section ok", async () => {
    await withEmulator("collect-standalone", async (e) => {
      e.addFault(STANDALONE, { operation: "iam:GetAccountSummary", kind: "Throttling", times: 1 });
      const snapshot = await collectAccount(fastOptions(e, STANDALONE));
      expect(ok(snapshot.sections.accountSummary)).toMatchObject({ Users: 1 });
      expect(e.callLog.filter((c) => c.operation === "GetAccountSummary").map((c) => c.status)).toEqual([
        400, 200,
      ]);
    });
  });

  it.each([
    [{ userMfaDevices: "none" }, /--user-mfa-devices none.*auto or all/],
    [
      { userMfaDevicesLimit: 0 },
      /1 users hold a virtual MFA device, more than the 0 .*--user-mfa-devices all/,
    ],
  ] as const)("userMfaDevices %j is Skipped, saying how to enable it", async (extra, message) => {
    const snapshot = await withEmulator("collect-full", (e) =>
      collectAccount(fastOptions(e, MANAGEMENT, extra)),
    );
    expect(errorOf(snapshot.sections.userMfaDevices)).toMatchObject({
      code: "Skipped",
      message: expect.stringMatching(message),
    });
  });

  it("userMfaDevices all reads them whatever the limit", async () => {
    const snapshot = await withEmulator("collect-full", (e) =>
      collectAccount(fastOptions(e, MANAGEMENT, { userMfaDevices: "all", userMfaDevicesLimit: 0 })),
    );
    expect(Object.keys(ok(snapshot.sections.userMfaDevices).byUser)).toEqual(["alice"]);
  });

  it("searches the configured Identity Center regions only, even when regions fail", async () => {
    const snapshot = await withEmulator("collect-full", (e) => {
      e.addFault(MANAGEMENT, { operation: "ec2:DescribeRegions", kind: "AccessDenied" });
      return collectAccount(fastOptions(e, MANAGEMENT, { identityCenterRegions: ["eu-west-1"] }));
    });
    expect(ok(snapshot.sections.identityCenter)).toMatchObject({ regions: ["eu-west-1"], users: [{}, {}] });
    expect(errorOf(snapshot.sections.cloudTrail)?.message).toMatch(/needs the regions section, which failed/);
  });

  it("throws a CollectError when GetCallerIdentity fails and no account id was given", async () => {
    await withEmulator("collect-full", async (e) => {
      e.addFault(MANAGEMENT, { operation: "sts:GetCallerIdentity", kind: "AccessDenied" });
      const attempt = collectAccount(fastOptions(e, MANAGEMENT));
      await expect(attempt).rejects.toThrow(CollectError);
      await expect(attempt).rejects.toThrow(/cannot tell which account.*AccessDenied/);
    });
  });

  it("throws a CollectError on credentials of another account than expected", async () => {
    await withEmulator("collect-full", async (e) => {
      await expect(collectAccount(fastOptions(e, MANAGEMENT, { accountId: MEMBER }))).rejects.toMatchObject({
        name: "CollectError",
        code: "AccountMismatch",
      });
    });
  });

  it("stops when aborted and throws the abort", async () => {
    await withEmulator("collect-full", async (e) => {
      const controller = new AbortController();
      const attempt = collectAccount({
        ...fastOptions(e, MANAGEMENT),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.section === "regions") controller.abort();
        },
      });
      await expect(attempt).rejects.toMatchObject({ name: "AbortError" });
      // Requests in flight at the abort still reach the emulator; after that, nothing new starts.
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await pause(300);
      const calls = e.callLog.length;
      await pause(1500);
      expect(e.callLog.length).toBe(calls);
      expect(e.callLog.some((c) => c.operation === "LookupEvents")).toBe(false);
    });
  });
});

describe("collectAccount: pagination", () => {
  const USERS = 1200;
  let emulator: Emulator;
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    const users = Array.from({ length: USERS }, (_, i) => ({
      name: `user${String(i).padStart(4, "0")}`,
      created: "100d ago",
      password: { lastUsed: "1d ago" },
      mfa: [{ type: "virtual", enabled: "50d ago" }],
    }));
    const cloudTrail = Array.from({ length: 120 }, (_, i) => ({
      name: "ConsoleLogin",
      time: `${i + 1}h ago`,
      user: "user0001",
    }));
    const scenario = parseScenario({
      name: "many",
      accounts: [{ id: STANDALONE, name: "Many", regions: ["us-east-1"], users, cloudTrail }],
    });
    emulator = await startEmulator(scenario);
    snapshot = await collectAccount(fastOptions(emulator, STANDALONE));
  }, 60_000);
  afterAll(() => emulator.close());

  const calls = (operation: string) => emulator.callLog.filter((c) => c.operation === operation).length;

  it("reads every page of users, devices and authorization details", () => {
    expect(ok(snapshot.sections.credentialReport).users).toHaveLength(USERS);
    expect(ok(snapshot.sections.virtualMfaDevices)).toHaveLength(USERS);
    expect(calls("ListVirtualMFADevices")).toBe(2);
    const details = ok(snapshot.sections.authorizationDetails);
    expect(new Set(details.users.map((u) => u.userName)).size).toBe(USERS);
    expect(calls("GetAccountAuthorizationDetails")).toBe(2);
  });

  it("skips ListMFADevices for more users than the auto limit, so cost grows with pages", () => {
    expect(errorOf(snapshot.sections.userMfaDevices)).toMatchObject({ code: "Skipped" });
    expect(calls("ListMFADevices")).toBe(0);
  });

  it("reads every page of CloudTrail events with the same parameters", () => {
    const trail = ok(snapshot.sections.cloudTrail);
    expect(trail.events.filter((e) => e.eventName === "ConsoleLogin")).toHaveLength(120);
    expect(new Set(trail.events.map((e) => e.eventId)).size).toBe(120);
    expect(calls("LookupEvents")).toBe(9 + 2);
  });
});

describe("collectAccount: endpoints from the environment", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator("collect-standalone");
  });
  afterAll(() => emulator.close());
  afterEach(() => vi.unstubAllEnvs());

  it("honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", emulator.endpoint);
    vi.stubEnv("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:9");
    const { endpoint: _, ...options } = fastOptions(emulator, STANDALONE);
    const snapshot = await collectAccount(options);
    expect(ok(snapshot.sections.callerIdentity).account).toBe(STANDALONE);
    expect(ok(snapshot.sections.cloudTrail).regions).toEqual(["us-east-1"]);
    expect(errorOf(snapshot.sections.accountSummary)).toMatchObject({
      code: "NetworkError",
      operation: "iam:GetAccountSummary",
    });
    expect(emulator.callLog.some((c) => c.service === "iam")).toBe(false);
  });

  it("lets an explicit endpoint win over AWS_ENDPOINT_URL", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    const snapshot = await collectAccount(fastOptions(emulator, STANDALONE));
    expect(SECTION_NAMES.filter((name) => snapshot.sections[name].status !== "ok")).toEqual([]);
  });
});
