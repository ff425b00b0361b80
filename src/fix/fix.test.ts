import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { caseSnapshot } from "../checks/test-support/snapshot.js";
import type { CheckResult } from "../checks/types.js";
import { mfaEnforcement } from "../policy/enforcement.js";
import { userPolicies } from "../policy/principal.js";
import { buildFixPlan } from "./plan.js";
import { renderCloudFormation, renderTerraform, renderText } from "./render.js";

const ACCOUNT = "123456789012";
const snapshot = caseSnapshot({
  credentialReport: {
    status: "ok",
    data: {
      generatedTime: "2026-05-31T22:00:00+00:00",
      root: null,
      users: [
        { user: "alice", passwordEnabled: true, mfaActive: true },
        {
          user: "bob",
          passwordEnabled: true,
          mfaActive: false,
          accessKeys: [{ active: false }, { active: true }],
        },
        { user: "ci", passwordEnabled: false },
      ] as never,
    },
  },
  authorizationDetails: { status: "ok", data: { users: [], groups: [], roles: [], policies: [] } },
  configRules: {
    status: "ok",
    data: {
      region: "us-east-1",
      rules: [
        {
          name: "root-mfa",
          arn: "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-1",
          sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED",
          state: "ACTIVE",
          compliance: "COMPLIANT",
        },
      ],
    },
  },
});

const result = (checkId: string, resource: string, message: string): CheckResult => ({
  checkId,
  accountId: ACCOUNT,
  resource,
  status: "fail",
  severity: "medium",
  message,
  evidence: {},
});
const results = [
  result(
    "access-key-rotation",
    `arn:aws:iam::${ACCOUNT}:user/ci#access_key_1`,
    "ci's key 1 is 200 days old.",
  ),
  result("access-key-unused", `arn:aws:iam::${ACCOUNT}:user/ci#access_key_1`, "ci's key 1 was never used."),
  result(
    "access-key-rotation",
    `arn:aws:iam::${ACCOUNT}:user/ops/deploy#access_key_2`,
    "deploy's key 2 is old.",
  ),
  {
    ...result("user-console-mfa", `arn:aws:iam::${ACCOUNT}:user/bob`, "bob has no MFA."),
    status: "fail" as const,
  },
];

describe("buildFixPlan", () => {
  const plan = buildFixPlan(snapshot, results);

  it("plans the force-MFA group for the console users, enrolment, keys and Config rules", () => {
    expect(plan.policy.arn).toBe(`arn:aws:iam::${ACCOUNT}:policy/mfawatch-force-mfa`);
    expect(plan.group).toEqual({
      name: "mfawatch-mfa-required",
      existsInSnapshot: false,
      members: ["alice", "bob"],
    });
    expect(plan.enrol).toEqual(["bob"]);
    expect(plan.keys).toEqual([
      {
        user: "ci",
        resource: `arn:aws:iam::${ACCOUNT}:user/ci#access_key_1`,
        action: "remove",
        reasons: [
          "access-key-rotation: ci's key 1 is 200 days old.",
          "access-key-unused: ci's key 1 was never used.",
        ],
      },
      {
        user: "deploy",
        resource: `arn:aws:iam::${ACCOUNT}:user/ops/deploy#access_key_2`,
        action: "rotate",
        reasons: ["access-key-rotation: deploy's key 2 is old."],
      },
    ]);
    expect(plan.configRules.filter((r) => r.status === "missing").map((r) => r.name)).toEqual([
      "root-account-hardware-mfa-enabled",
      "iam-user-mfa-enabled",
      "mfa-enabled-for-iam-console-access",
    ]);
    expect(plan.gaps).toEqual([]);
    expect(plan.warnings).toEqual([
      "bob has active access key 2: once in mfawatch-mfa-required, requests signed with it are denied except MFA self-service (BoolIfExists); move what uses it to a role first.",
    ]);
  });

  it("plans a policy that the simulation finds enforced, with AWS's device resource", () => {
    expect(JSON.stringify(plan.policy.document)).toContain('"Resource":"arn:aws:iam::*:mfa/*"');
    const user = {
      userName: "bob",
      userId: "AIDABOB",
      arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
      path: "/",
      createDate: "2025-01-01T00:00:00Z",
      groups: [],
      inlinePolicies: [
        {
          name: "admin",
          document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        },
        { name: plan.policy.name, document: plan.policy.document },
      ],
      attachedManagedPolicies: [],
      permissionsBoundaryArn: null,
    };
    const resolved = userPolicies({ users: [user], groups: [], roles: [], policies: [] }, user, {
      state: "none",
      reason: "test",
    });
    if (!resolved.ok) throw new Error("unresolved");
    expect(mfaEnforcement(resolved.principal).outcome).toBe("enforced");
  });

  it("says what it could not see", () => {
    const partial = buildFixPlan(
      {
        ...snapshot,
        sections: {
          ...snapshot.sections,
          configRules: { status: "error", error: { code: "AccessDeniedException", message: "no" } },
        },
      },
      [],
    );
    expect(partial.configRules.every((r) => r.status === "unknown")).toBe(true);
    expect(partial.gaps).toEqual([
      "configRules (deployed AWS Config rules unknown): AccessDeniedException: no",
    ]);
    expect(renderText(partial)).toContain("(if absent) aws configservice put-config-rule");
  });
});

describe("renderers", () => {
  const plan = buildFixPlan(snapshot, results);

  it("text lists the commands, the users and the keys", () => {
    const text = renderText(plan);
    expect(text).toContain(
      "aws iam create-policy --policy-name mfawatch-force-mfa --policy-document file://mfawatch-force-mfa.json",
    );
    expect(text).toContain(
      `aws iam attach-group-policy --group-name mfawatch-mfa-required --policy-arn arn:aws:iam::${ACCOUNT}:policy/mfawatch-force-mfa`,
    );
    expect(text).toContain("aws iam add-user-to-group --group-name mfawatch-mfa-required --user-name bob");
    expect(text).toContain("   Before applying:\n     bob has active access key 2");
    expect(text).toContain("2. Users to ask to enrol an MFA device (1):\n     bob");
    expect(text).toContain(`remove arn:aws:iam::${ACCOUNT}:user/ci#access_key_1`);
    expect(text).toContain(
      `'{"ConfigRuleName":"iam-user-mfa-enabled","Source":{"Owner":"AWS","SourceIdentifier":"IAM_USER_MFA_ENABLED"}}'`,
    );
  });

  it("terraform escapes the aws:username policy variable so that Terraform does not interpolate it", () => {
    const tf = renderTerraform(plan);
    expect(tf).toContain('"arn:aws:iam::*:user/$${aws:username}"');
    expect(tf).not.toMatch(/[^$]\$\{aws:username\}/);
    expect(tf).toContain('resource "aws_iam_user_group_membership" "mfa_required_bob"');
    expect(tf).toContain('source_identifier = "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"');
    expect(tf).not.toContain('ROOT_ACCOUNT_MFA_ENABLED"');
  });

  it("cloudformation is a YAML template with the same resources", () => {
    const template = parse(renderCloudFormation(plan)) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    expect(template.Resources.ForceMfaPolicy?.Properties.PolicyDocument).toEqual(plan.policy.document);
    expect(template.Resources.ForceMfaPolicy?.Properties.Groups).toEqual([{ Ref: "MfaRequiredGroup" }]);
    expect(template.Resources.ConsoleUsersToMfaRequired?.Properties.Users).toEqual(["alice", "bob"]);
    expect(
      Object.values(template.Resources).filter((r) => r.Type === "AWS::Config::ConfigRule"),
    ).toHaveLength(3);
  });
});
