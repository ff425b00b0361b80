import { describe, expect, it } from "vitest";
import type { AuthorizationDetails, AuthUser, PolicyDocument } from "../snapshot/types.js";
import { type Enforcement, mfaEnforcement } from "./enforcement.js";
import { forceMfaPolicy } from "./forceMfaPolicy.js";
import { type PrincipalPolicies, type ScpState, userPolicies } from "./principal.js";
import { selfServiceProbes } from "./probes.js";
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
    const d = details(doc({ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }));
    const shared = new SharedVerdicts();
    let computed = 0;
    const [bob, carol] = ["bob", "carol"].map((name) => {
      const u = user(name);
      const resolved = userPolicies(d, u, NO_SCPS);
      if (!resolved.ok) throw new Error("missing policies");
      return shared.for(u, resolved.principal, "self-service", (p) => {
        computed++;
        return selfServiceProbes(p).map((probe) => simulate(p, probe, "no-mfa").resource);
      });
    }) as [string[], string[]];
    expect(computed).toBe(1);
    expect(bob).toContain(`arn:aws:iam::${ACCOUNT}:user/bob`);
    expect(carol).toContain(`arn:aws:iam::${ACCOUNT}:user/carol`);
    expect(carol).not.toContain(`arn:aws:iam::${ACCOUNT}:user/bob`);
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

  it("names the SCP attached to each account itself", () => {
    const withScp = (account: string): PrincipalPolicies => ({
      ...inAccount(account, doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })),
      scps: {
        state: "applied",
        targets: [account, "r-abcd"],
        levels: [
          {
            targetId: account,
            policies: [
              {
                ref: { name: "no-users", attachedVia: `SCP on ${account}` },
                document: doc({ Effect: "Deny", Action: "iam:CreateUser", Resource: "*" }),
              },
            ],
          },
        ],
      },
    });
    expect(createUser(withScp("333333333333")).deniedBy?.attachedVia).toBe("SCP on 333333333333");
    expect(createUser(withScp("444444444444")).deniedBy?.attachedVia).toBe("SCP on 444444444444");
  });

  it("keeps apart accounts that a policy names", () => {
    const deny = () =>
      doc({ Effect: "Deny", Action: "iam:CreateUser", Resource: "arn:aws:iam::111111111111:user/*" });
    expect(createUser(inAccount("111111111111", deny())).decision).toBe("ExplicitlyDenied");
    expect(createUser(inAccount("222222222222", deny())).decision).toBe("Allowed");
  });
});

describe("outcomes shared between accounts", () => {
  const ROOT = "r-abcd";
  const denyCreateUser = doc({ Effect: "Deny", Action: "iam:CreateUser", Resource: "*" });
  /** A user `bob` of `account` under `unit`, whose SCP (on the unit) is `scp`, with `policy` inline. */
  const member = (account: string, unit: string, scp: PolicyDocument, policy: PolicyDocument) => {
    const u: AuthUser = {
      ...user("bob"),
      arn: `arn:aws:iam::${account}:user/bob`,
      groups: [],
      inlinePolicies: [{ name: "own", document: policy }],
    };
    const scps: ScpState = {
      state: "applied",
      targets: [account, unit, ROOT],
      levels: [
        {
          targetId: ROOT,
          policies: [{ ref: { name: "FullAWSAccess", attachedVia: `SCP on ${ROOT}` }, document: allowAll() }],
        },
        {
          targetId: unit,
          policies: [{ ref: { name: "guard", attachedVia: `SCP on ${unit}` }, document: scp }],
        },
      ],
    };
    const d: AuthorizationDetails = { users: [u], groups: [], roles: [], policies: [] };
    const resolved = userPolicies(d, { ...u, arn: `arn:aws:iam::${account}:user/bob` }, scps);
    if (!resolved.ok) throw new Error("missing policies");
    return { user: u, principal: { ...resolved.principal, accountId: account } };
  };
  const allowAll = () => doc({ Effect: "Allow", Action: "*", Resource: "*" });
  /** Judges each member through a fresh `SharedVerdicts` (one per account, as a scan does). */
  const judge = (members: ReturnType<typeof member>[], options?: { acrossAccounts?: string }) => {
    let computed = 0;
    const task = `create-user ${Math.random()}`;
    const verdicts = members.map(({ user: u, principal }) =>
      new SharedVerdicts(options).for(u, principal, task, (p) => {
        computed++;
        return simulate(
          p,
          { action: "iam:CreateUser", resource: `arn:aws:iam::${p.accountId}:user/new` },
          "mfa",
        );
      }),
    );
    return { verdicts, computed };
  };

  it("computes once for accounts in different units whose policies treat accounts alike, naming each account's own ids", () => {
    const a = member("111111111111", "ou-abcd-11111111", denyCreateUser, allowAll());
    const b = member("222222222222", "ou-abcd-22222222", denyCreateUser, allowAll());
    const { verdicts, computed } = judge([a, b], { acrossAccounts: "" });
    expect(computed).toBe(1);
    const [first, second] = verdicts;
    expect(first?.deniedBy?.attachedVia).toBe("SCP on ou-abcd-11111111");
    expect(second?.deniedBy?.attachedVia).toBe("SCP on ou-abcd-22222222");
    expect(second?.resource).toBe("arn:aws:iam::222222222222:user/new");
    expect(JSON.stringify(second)).not.toMatch(/111111111111|ou-abcd-11111111|mfawatch-canonical/);
  });

  it("computes each account on its own when a policy names an account or a unit, or sharing is not asked for", () => {
    const naming = (account: string) =>
      doc({ Effect: "Allow", Action: "*", Resource: `arn:aws:iam::111111111111:user/*`, Sid: account });
    const byAccount = judge(
      [
        member("111111111111", "ou-abcd-11111111", denyCreateUser, naming("a")),
        member("222222222222", "ou-abcd-22222222", denyCreateUser, naming("b")),
      ],
      { acrossAccounts: "" },
    );
    expect(byAccount.computed).toBe(2);
    const unitScp = doc({
      Effect: "Deny",
      Action: "iam:CreateUser",
      Resource: "arn:aws:organizations::999999999999:ou/o-abcd/ou-abcd-11111111",
    });
    const byUnit = judge(
      [
        member("111111111111", "ou-abcd-11111111", unitScp, allowAll()),
        member("222222222222", "ou-abcd-22222222", unitScp, allowAll()),
      ],
      { acrossAccounts: "" },
    );
    expect(byUnit.computed).toBe(2);
    const unasked = judge([
      member("111111111111", "ou-abcd-11111111", denyCreateUser, allowAll()),
      member("222222222222", "ou-abcd-22222222", denyCreateUser, allowAll()),
    ]);
    expect(unasked.computed).toBe(2);
  });

  it("keeps apart accounts whose scope differs", () => {
    const a = member("111111111111", "ou-abcd-11111111", denyCreateUser, allowAll());
    const b = member("222222222222", "ou-abcd-22222222", denyCreateUser, allowAll());
    let computed = 0;
    for (const [m, scope] of [
      [a, "admins: ops"],
      [b, "admins: none"],
    ] as const) {
      new SharedVerdicts({ acrossAccounts: scope }).for(m.user, m.principal, "scoped", () => ++computed);
    }
    expect(computed).toBe(2);
  });
});
