import { describe, expect, it } from "vitest";
import type { AuthorizationDetails, AuthUser, PolicyDocument } from "../snapshot/types.js";
import { type Enforcement, mfaEnforcement } from "./enforcement.js";
import { forceMfaPolicy } from "./forceMfaPolicy.js";
import { type PrincipalPolicies, type ScpState, userPolicies } from "./principal.js";
import { SharedVerdicts } from "./shared.js";
import { simulate } from "./simulate.js";

const ACCOUNT = "123456789012";
const NO_SCPS: ScpState = { state: "none", reason: "test" };
const FORCE_MFA = `arn:aws:iam::${ACCOUNT}:policy/force-mfa`;
const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

function user(name: string): AuthUser {
  return {
    userName: name,
    userId: `AIDA${name.toUpperCase()}`,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    path: "/",
    createDate: "2025-01-01T00:00:00Z",
    groups: ["devs"],
    inlinePolicies: [],
    attachedManagedPolicies: [],
    permissionsBoundaryArn: null,
  };
}

/** Users in one group `devs` with AWS's force-MFA policy, everything allowed, and `extra` inline. */
function details(extra: PolicyDocument): AuthorizationDetails {
  return {
    users: [],
    groups: [
      {
        groupName: "devs",
        groupId: "AGPADEVS",
        arn: `arn:aws:iam::${ACCOUNT}:group/devs`,
        path: "/",
        inlinePolicies: [
          { name: "all", document: doc({ Effect: "Allow", Action: "*", Resource: "*" }) },
          { name: "extra", document: extra },
        ],
        attachedManagedPolicies: [{ name: "force-mfa", arn: FORCE_MFA }],
      },
    ],
    roles: [],
    policies: [
      {
        policyName: "force-mfa",
        arn: FORCE_MFA,
        path: "/",
        defaultVersionId: "v1",
        attachmentCount: 1,
        document: forceMfaPolicy(),
      },
    ],
  };
}

/** Each user's enforcement through one `SharedVerdicts`, and how many times it was computed. */
function enforce(extra: PolicyDocument, names: string[]) {
  const d = details(extra);
  const shared = new SharedVerdicts();
  let computed = 0;
  const compute = (p: PrincipalPolicies) => {
    computed++;
    return mfaEnforcement(p);
  };
  const results = names.map((name) => {
    const u = user(name);
    const resolved = userPolicies(d, u, NO_SCPS);
    if (!resolved.ok) throw new Error("missing policies");
    const result = shared.for(u, resolved.principal, "enforcement", compute);
    expect(result).toEqual(mfaEnforcement(resolved.principal));
    return result;
  });
  return { results, computed };
}

const resources = (e: Enforcement) => (e.outcome === "enforced" ? e.denied.map((v) => v.resource) : []);
const denyGetUser = (resource: string, condition?: Record<string, unknown>) =>
  doc({
    Effect: "Deny",
    Action: "iam:GetUser",
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
  });

describe("SharedVerdicts", () => {
  it("computes once for users of the same groups and gives each its own names", () => {
    const { results, computed } = enforce(denyGetUser(`arn:aws:iam::${ACCOUNT}:user/*`), ["bob", "carol"]);
    expect(computed).toBe(1);
    const [bob, carol] = results as [Enforcement, Enforcement];
    expect(bob.outcome).toBe("lockout");
    expect(carol.outcome).toBe("lockout");
    expect(JSON.stringify(results)).not.toContain("mfawatch-canonical");
  });

  it("gives resources drawn from aws:username variables back to each user", () => {
    const { results, computed } = enforce(doc({ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }), [
      "bob",
      "carol",
    ]);
    expect(computed).toBe(1);
    const [bob, carol] = results as [Enforcement, Enforcement];
    expect(bob.outcome).toBe("enforced");
    expect(resources(bob)).toContain(`arn:aws:iam::${ACCOUNT}:user/bob`);
    expect(resources(carol)).toContain(`arn:aws:iam::${ACCOUNT}:user/carol`);
    expect(resources(carol)).not.toContain(`arn:aws:iam::${ACCOUNT}:user/bob`);
  });

  it("computes on its own a user whom a policy names, and the others still share", () => {
    const { results, computed } = enforce(denyGetUser(`arn:aws:iam::${ACCOUNT}:user/alice`), [
      "alice",
      "bob",
      "carol",
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["lockout", "enforced", "enforced"]);
    expect(computed).toBe(2);
  });

  it("shares nothing when a policy can tell users apart by a partial wildcard or a condition", () => {
    const partial = enforce(denyGetUser(`arn:aws:iam::${ACCOUNT}:user/b*`), ["bob", "carol", "bill"]);
    expect(partial.results.map((r) => r.outcome)).toEqual(["lockout", "enforced", "lockout"]);
    expect(partial.computed).toBe(3);
    const condition = enforce(denyGetUser("*", { StringEquals: { "aws:username": "carol" } }), [
      "bob",
      "carol",
    ]);
    expect(condition.results.map((r) => r.outcome)).toEqual(["enforced", "lockout"]);
    expect(condition.computed).toBe(2);
  });
});

describe("verdicts shared between accounts", () => {
  const inAccount = (account: string, deny: PolicyDocument): PrincipalPolicies => ({
    kind: "user",
    name: "bob",
    arn: `arn:aws:iam::${account}:user/bob`,
    accountId: account,
    region: "us-east-1",
    identity: [
      {
        ref: { name: "all", attachedVia: "user inline" },
        document: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
      },
      {
        ref: { name: "deny", arn: `arn:aws:iam::${account}:policy/deny`, attachedVia: "user managed" },
        document: deny,
      },
    ],
    boundary: null,
    scps: NO_SCPS,
  });
  const createUser = (p: PrincipalPolicies) =>
    simulate(p, { action: "iam:CreateUser", resource: `arn:aws:iam::${p.accountId}:user/new` }, "mfa");

  it("names each account's own policy ARN", () => {
    const deny = () => doc({ Effect: "Deny", Action: "iam:CreateUser", Resource: "*" });
    const a = createUser(inAccount("111111111111", deny()));
    const b = createUser(inAccount("222222222222", deny()));
    expect(a.deniedBy?.arn).toBe("arn:aws:iam::111111111111:policy/deny");
    expect(b.deniedBy?.arn).toBe("arn:aws:iam::222222222222:policy/deny");
  });

  it("keeps apart accounts that a policy names", () => {
    const deny = () =>
      doc({ Effect: "Deny", Action: "iam:CreateUser", Resource: "arn:aws:iam::111111111111:user/*" });
    expect(createUser(inAccount("111111111111", deny())).decision).toBe("ExplicitlyDenied");
    expect(createUser(inAccount("222222222222", deny())).decision).toBe("Allowed");
  });
});
