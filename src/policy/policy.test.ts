import { describe, expect, it } from "vitest";
import type { AuthorizationDetails, AuthRole, AuthUser, PolicyDocument } from "../snapshot/types.js";
import { adminPaths } from "./admin.js";
import { mfaEnforcement } from "./enforcement.js";
import { forceMfaPolicy } from "./forceMfaPolicy.js";
import { type ScpState, scpState, userPolicies } from "./principal.js";
import { isAllowed, isDenied, PolicyEvaluationError, requestContext, simulate } from "./simulate.js";
import { assumeWithoutMfa } from "./trust.js";

const ACCOUNT = "123456789012";
const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});
const allowAll = doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" });
const NO_SCPS: ScpState = { state: "none", reason: "test" };

function user(fields: Partial<AuthUser>): AuthUser {
  return {
    userName: "bob",
    userId: "AIDAEXAMPLE",
    arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
    path: "/",
    createDate: "2025-01-01T00:00:00Z",
    groups: [],
    inlinePolicies: [],
    attachedManagedPolicies: [],
    permissionsBoundaryArn: null,
    ...fields,
  };
}

function details(extra: Partial<AuthorizationDetails> = {}): AuthorizationDetails {
  return {
    users: [],
    groups: [],
    roles: [],
    policies: [
      {
        policyName: "AdministratorAccess",
        arn: ADMIN_ARN,
        path: "/",
        defaultVersionId: "v1",
        attachmentCount: 1,
        document: allowAll,
      },
      {
        policyName: "force-mfa",
        arn: `arn:aws:iam::${ACCOUNT}:policy/force-mfa`,
        path: "/",
        defaultVersionId: "v1",
        attachmentCount: 1,
        document: forceMfaPolicy(),
      },
    ],
    ...extra,
  };
}

function resolve(u: AuthUser, d = details(), scps = NO_SCPS) {
  const r = userPolicies(d, u, scps);
  if (!r.ok) throw new Error(`missing ${r.missing.join(", ")}`);
  return r.principal;
}

const group = (name: string, arns: string[], inline: PolicyDocument[] = []) => ({
  groupName: name,
  groupId: `AGPA${name}`,
  arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
  path: "/",
  inlinePolicies: inline.map((document, i) => ({ name: `${name}-inline-${i}`, document })),
  attachedManagedPolicies: arns.map((arn) => ({ name: arn.split("/").pop() ?? arn, arn })),
});

describe("mfaEnforcement", () => {
  it("finds AWS's template through a group enforced", () => {
    const d = details({ groups: [group("people", [ADMIN_ARN, `arn:aws:iam::${ACCOUNT}:policy/force-mfa`])] });
    expect(mfaEnforcement(resolve(user({ groups: ["people"] }), d)).outcome).toBe("enforced");
  });

  it("names the allowing statement when nothing enforces MFA", () => {
    const r = mfaEnforcement(resolve(user({ inlinePolicies: [{ name: "everything", document: allowAll }] })));
    expect(r.outcome).toBe("not-enforced");
    if (r.outcome !== "not-enforced") return;
    expect(r.allowed.action).toBe("s3:ListAllMyBuckets");
    expect(r.allowed.allowedBy[0]).toMatchObject({
      name: "everything",
      sid: "All",
      attachedVia: "user inline",
    });
  });

  it("reports a lockout when a Deny * without exceptions hits the self-service actions too", () => {
    const deny = doc({
      Sid: "DenyNoMfa",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    });
    const r = mfaEnforcement(
      resolve(
        user({
          inlinePolicies: [
            { name: "all", document: allowAll },
            { name: "deny", document: deny },
          ],
        }),
      ),
    );
    expect(r.outcome).toBe("lockout");
    if (r.outcome === "lockout") {
      expect(r.denied.action).toBe("iam:CreateVirtualMFADevice");
      expect(r.denied.deniedBy).toMatchObject({ name: "deny", sid: "DenyNoMfa" });
    }
  });

  it("counts an SCP that denies without MFA", () => {
    const scp = doc({
      Sid: "DenyWithoutMfa",
      Effect: "Deny",
      NotAction: ["iam:*", "sts:GetSessionToken"],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    });
    const scps: ScpState = {
      state: "applied",
      targets: [ACCOUNT, "r-root"],
      levels: [
        {
          targetId: "r-root",
          policies: [{ ref: { name: "FullAWSAccess", attachedVia: "SCP on r-root" }, document: allowAll }],
        },
        {
          targetId: ACCOUNT,
          policies: [
            { ref: { name: "FullAWSAccess", attachedVia: `SCP on ${ACCOUNT}` }, document: allowAll },
            { ref: { name: "require-mfa", attachedVia: `SCP on ${ACCOUNT}` }, document: scp },
          ],
        },
      ],
    };
    const p = resolve(
      user({ attachedManagedPolicies: [{ name: "AdministratorAccess", arn: ADMIN_ARN }] }),
      details(),
      scps,
    );
    const r = mfaEnforcement(p);
    // iam:CreateUser stays allowed by the SCP's NotAction, so enforcement is incomplete: the verdict says which.
    expect(r.outcome).toBe("not-enforced");
    if (r.outcome === "not-enforced") expect(r.allowed.action).toBe("iam:CreateUser");
    const v = simulate(p, { action: "s3:ListAllMyBuckets", resource: "*" }, "no-mfa");
    expect(v.deniedBy).toMatchObject({
      name: "require-mfa",
      sid: "DenyWithoutMfa",
      attachedVia: `SCP on ${ACCOUNT}`,
    });
  });

  it("has nothing to enforce behind a permission boundary that allows nothing", () => {
    const d = details({
      policies: [
        ...details().policies,
        {
          policyName: "nothing",
          arn: `arn:aws:iam::${ACCOUNT}:policy/nothing`,
          path: "/",
          defaultVersionId: "v1",
          attachmentCount: 1,
          document: doc({ Effect: "Allow", Action: "none:null", Resource: "*" }),
        },
      ],
    });
    const p = resolve(
      user({
        attachedManagedPolicies: [{ name: "AdministratorAccess", arn: ADMIN_ARN }],
        permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/nothing`,
      }),
      d,
    );
    const r = mfaEnforcement(p);
    expect(r.outcome).toBe("nothing-to-enforce");
    if (r.outcome === "nothing-to-enforce") expect(r.denied.first.notAllowedBy).toBe("permission boundary");
  });
});

describe("long-term access keys", () => {
  const bool = { name: "force", document: forceMfaPolicy("Bool") };
  const admin = { name: "AdministratorAccess", arn: ADMIN_ARN };
  it("a Bool deny stops console sessions but not access keys; BoolIfExists stops both", () => {
    const p = resolve(user({ inlinePolicies: [bool], attachedManagedPolicies: [admin] }));
    const probe = { action: "s3:ListAllMyBuckets", resource: "*" };
    expect(simulate(p, probe, "no-mfa").decision).toBe("ExplicitlyDenied");
    expect(simulate(p, probe, "long-term-key").decision).toBe("Allowed");
    const strict = resolve(
      user({
        inlinePolicies: [{ name: "force", document: forceMfaPolicy() }],
        attachedManagedPolicies: [admin],
      }),
    );
    expect(simulate(strict, probe, "long-term-key").decision).toBe("ExplicitlyDenied");
    expect(simulate(strict, probe, "mfa").decision).toBe("Allowed");
  });
});

describe("adminPaths", () => {
  const admin = { name: "AdministratorAccess", arn: ADMIN_ARN };
  it("finds AdministratorAccess directly, through a group and as an inline *:*", () => {
    const direct = adminPaths(resolve(user({ attachedManagedPolicies: [admin] })), "mfa");
    expect(direct.map((p) => p.rule)).toContain("full-access");
    expect(direct[0]?.verdicts[0]?.allowedBy[0]).toMatchObject({
      name: "AdministratorAccess",
      attachedVia: "user managed",
    });

    const d = details({ groups: [group("admins", [ADMIN_ARN])] });
    const viaGroup = adminPaths(resolve(user({ groups: ["admins"] }), d), "mfa", ["admins"]);
    expect(viaGroup[0]?.verdicts[0]?.allowedBy[0]).toMatchObject({ attachedVia: "group admins managed" });

    const inline = adminPaths(
      resolve(user({ inlinePolicies: [{ name: "star", document: allowAll }] })),
      "mfa",
    );
    expect(inline[0]?.verdicts[0]?.allowedBy[0]).toMatchObject({ name: "star", sid: "All" });
  });

  it("finds IAM write and PassRole with compute, and not a read-only user", () => {
    const iamWrite = doc({ Sid: "Iam", Effect: "Allow", Action: "iam:*", Resource: "*" });
    expect(
      adminPaths(resolve(user({ inlinePolicies: [{ name: "iam", document: iamWrite }] })), "mfa").map(
        (p) => p.rule,
      ),
    ).toEqual(["iam-write"]);
    const pass = doc({ Effect: "Allow", Action: ["iam:PassRole", "lambda:CreateFunction"], Resource: "*" });
    expect(
      adminPaths(resolve(user({ inlinePolicies: [{ name: "p", document: pass }] })), "mfa").map(
        (p) => p.rule,
      ),
    ).toEqual(["passrole-and-compute"]);
    const read = doc({ Effect: "Allow", Action: ["s3:Get*", "ec2:Describe*"], Resource: "*" });
    expect(adminPaths(resolve(user({ inlinePolicies: [{ name: "r", document: read }] })), "mfa")).toEqual([]);
  });
});

describe("userPolicies and scpState", () => {
  it("reports a managed policy the snapshot lacks", () => {
    const r = userPolicies(
      details(),
      user({ attachedManagedPolicies: [{ name: "Gone", arn: "arn:aws:iam::aws:policy/Gone" }] }),
      NO_SCPS,
    );
    expect(r).toEqual({ ok: false, missing: ["arn:aws:iam::aws:policy/Gone"] });
  });

  it("never applies SCPs it cannot attribute, and ignores them for the management account", () => {
    const scps = { status: "ok" as const, data: { targets: [ACCOUNT, "r-root"], policies: [] } };
    const denied = { status: "error" as const, error: { code: "AccessDenied", message: "no" } };
    const org = (managementAccountId: string) => ({
      status: "ok" as const,
      data: { inOrganization: true, organizationId: "o-1", managementAccountId, featureSet: "ALL" },
    });
    expect(scpState(scps, denied, ACCOUNT).state).toBe("unreadable");
    expect(scpState(denied, org("111111111111"), ACCOUNT).state).toBe("unreadable");
    expect(scpState(denied, org(ACCOUNT), ACCOUNT).state).toBe("none");
    expect(scpState(scps, org("111111111111"), ACCOUNT).state).toBe("applied");
  });

  it("turns a malformed policy into a PolicyEvaluationError", () => {
    const p = resolve(
      user({ inlinePolicies: [{ name: "broken", document: { Statement: [{ Effect: "Allow" }] } }] }),
    );
    expect(() => simulate(p, { action: "s3:ListAllMyBuckets", resource: "*" }, "mfa")).toThrow(
      PolicyEvaluationError,
    );
  });
});

describe("assumeWithoutMfa", () => {
  const role = (trust: PolicyDocument): AuthRole => ({
    roleName: "admin",
    roleId: "AROAEXAMPLE",
    arn: `arn:aws:iam::${ACCOUNT}:role/admin`,
    path: "/",
    assumeRolePolicyDocument: trust,
    inlinePolicies: [],
    attachedManagedPolicies: [],
    permissionsBoundaryArn: null,
  });
  const mfaTrust = (op: string) =>
    doc({
      Sid: "Mfa",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Action: "sts:AssumeRole",
      Condition: { [op]: { "aws:MultiFactorAuthPresent": "true" } },
    });
  it("accepts a trust policy that requires MFA with Bool", () => {
    expect(assumeWithoutMfa(role(mfaTrust("Bool")))[0]?.withoutMfa).toBeNull();
  });
  it("sees that an Allow with BoolIfExists true admits long-term keys, where the key is absent", () => {
    expect(assumeWithoutMfa(role(mfaTrust("BoolIfExists")))[0]?.withoutMfa?.session).toBe("long-term-key");
  });
  it("flags users of another account assuming without MFA, and skips services", () => {
    const trust = doc(
      {
        Sid: "Ops",
        Effect: "Allow",
        Principal: { AWS: ["111111111111", `arn:aws:iam::${ACCOUNT}:role/ci`] },
        Action: "sts:AssumeRole",
      },
      { Sid: "Ec2", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    );
    const verdicts = assumeWithoutMfa(role(trust));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.userArn).toBe("arn:aws:iam::111111111111:user/mfawatch-probe");
    expect(verdicts[0]?.withoutMfa?.allowedBy[0]).toMatchObject({ sid: "Ops", index: 0 });
  });
});

describe("request context a scan cannot know", () => {
  const ipDeny = doc({
    Sid: "DenyOutsideOffice",
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } },
  });
  const probe = { action: "dynamodb:Scan", resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t` };

  it("signs each probe for the collection region, and IAM for us-east-1", () => {
    const p = { ...resolve(user({})), region: "eu-west-1" };
    expect(requestContext(p, "mfa", "dynamodb:Scan")["aws:RequestedRegion"]).toBe("eu-west-1");
    expect(requestContext(p, "mfa", "iam:CreateUser")["aws:RequestedRegion"]).toBe("us-east-1");
  });

  it("names the unknown key of a Deny that decides, and of an Allow that is the only grant", () => {
    const denied = simulate(
      resolve(
        user({
          inlinePolicies: [
            { name: "all", document: allowAll },
            { name: "ip", document: ipDeny },
          ],
        }),
      ),
      probe,
      "mfa",
    );
    expect(isAllowed(denied) || isDenied(denied)).toBe(false);
    expect(denied.dependsOn).toEqual([
      {
        keys: ["aws:SourceIp"],
        statement: expect.objectContaining({ name: "ip", sid: "DenyOutsideOffice" }),
      },
    ]);
    const onlyFromOffice = doc({
      Sid: "Office",
      Effect: "Allow",
      Action: "*",
      Resource: "*",
      Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    });
    const allowed = simulate(
      resolve(user({ inlinePolicies: [{ name: "office", document: onlyFromOffice }] })),
      probe,
      "mfa",
    );
    expect(allowed.dependsOn.map((d) => d.statement.sid)).toEqual(["Office"]);
  });

  it("ignores an unknown key that cannot change the decision", () => {
    const v = simulate(resolve(user({ inlinePolicies: [{ name: "ip", document: ipDeny }] })), probe, "mfa");
    expect(isDenied(v)).toBe(true);
  });
});

describe("requests on * (actions that take no resource)", () => {
  const only = (statement: Record<string, unknown>) =>
    resolve(user({ inlinePolicies: [{ name: "p", document: doc(statement) }] }));
  const list = { action: "s3:ListAllMyBuckets", resource: "*" };
  it("are granted only by statements whose Resource covers *", () => {
    const bucket = { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::site-bucket" };
    expect(simulate(only(bucket), list, "mfa").decision).toBe("ImplicitlyDenied");
    expect(simulate(only({ ...bucket, Resource: "*" }), list, "mfa").decision).toBe("Allowed");
    const notBucket = { Effect: "Allow", Action: "s3:*", NotResource: "arn:aws:s3:::site-bucket" };
    expect(simulate(only(notBucket), list, "mfa").decision).toBe("Allowed");
  });
});

describe("mfaEnforcement options", () => {
  const denyAll = doc({
    Sid: "DenyAll",
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
  });
  it("judges a lockout only for users without MFA, and never on sts:GetSessionToken", () => {
    const p = resolve(
      user({
        attachedManagedPolicies: [{ name: "AdministratorAccess", arn: ADMIN_ARN }],
        inlinePolicies: [{ name: "deny", document: denyAll }],
      }),
    );
    expect(mfaEnforcement(p).outcome).toBe("lockout");
    expect(mfaEnforcement(p, { hasMfa: true }).outcome).toBe("enforced");
    const template = resolve(
      user({
        attachedManagedPolicies: [{ name: "force-mfa", arn: `arn:aws:iam::${ACCOUNT}:policy/force-mfa` }],
      }),
    );
    expect(mfaEnforcement(template).outcome).not.toBe("lockout");
  });
  it("does not probe sts:GetCallerIdentity, which AWS answers even when denied", () => {
    const readOnly = doc({ Effect: "Allow", Action: ["sts:GetCallerIdentity", "s3:Get*"], Resource: "*" });
    const p = resolve(
      user({
        inlinePolicies: [
          { name: "read", document: readOnly },
          { name: "force-mfa", document: forceMfaPolicy() },
        ],
      }),
    );
    expect(mfaEnforcement(p).outcome).toBe("enforced");
  });
  it("probes the access-key session when the user has active keys", () => {
    const p = resolve(
      user({
        attachedManagedPolicies: [{ name: "AdministratorAccess", arn: ADMIN_ARN }],
        inlinePolicies: [{ name: "f", document: forceMfaPolicy("Bool") }],
      }),
    );
    expect(mfaEnforcement(p).outcome).toBe("enforced");
    const withKey = mfaEnforcement(p, { activeKeys: true });
    expect(withKey.outcome === "not-enforced" && withKey.allowed.session).toBe("long-term-key");
  });
});

describe("trust conditions other than MFA", () => {
  it("leave the verdict uncertain instead of counting as an MFA requirement", () => {
    const trust = doc({
      Sid: "Vendor",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "secret" } },
    });
    const [verdict] = assumeWithoutMfa({
      roleName: "vendor",
      roleId: "AROAEXAMPLE",
      arn: `arn:aws:iam::${ACCOUNT}:role/vendor`,
      path: "/",
      assumeRolePolicyDocument: trust,
      inlinePolicies: [],
      attachedManagedPolicies: [],
      permissionsBoundaryArn: null,
    });
    expect(verdict?.withoutMfa).toBeNull();
    expect(verdict?.uncertain?.dependsOn[0]).toMatchObject({
      keys: ["sts:ExternalId"],
      statement: { sid: "Vendor" },
    });
  });
});
