/**
 * Managed policies as IAM reports them: the account's own ones (from the scenario) and the AWS
 * managed ones the scenario attaches, whose real documents are kept in aws-managed-policies/.
 */
import type { ScenarioAccount } from "../../scenario.js";
import { AwsError } from "../../types.js";
import administratorAccess from "./aws-managed-policies/AdministratorAccess.json" with { type: "json" };
import iamFullAccess from "./aws-managed-policies/IAMFullAccess.json" with { type: "json" };
import iamUserChangePassword from "./aws-managed-policies/IAMUserChangePassword.json" with { type: "json" };
import powerUserAccess from "./aws-managed-policies/PowerUserAccess.json" with { type: "json" };
import readOnlyAccess from "./aws-managed-policies/ReadOnlyAccess.json" with { type: "json" };
import securityAudit from "./aws-managed-policies/SecurityAudit.json" with { type: "json" };
import { accountCreated, stableId } from "./model.js";

export interface ManagedPolicy {
  name: string;
  path: string;
  arn: string;
  policyId: string;
  versionId: string;
  created: Date;
  document: Record<string, unknown>;
}

interface AwsManagedPolicyFile {
  name: string;
  path: string;
  versionId: string;
  createDate: string;
  document: Record<string, unknown>;
}

const AWS_MANAGED: ManagedPolicy[] = (
  [
    administratorAccess,
    iamFullAccess,
    iamUserChangePassword,
    powerUserAccess,
    readOnlyAccess,
    securityAudit,
  ] as AwsManagedPolicyFile[]
).map((file) => {
  const arn = `arn:aws:iam::aws:policy${file.path}${file.name}`;
  return {
    name: file.name,
    path: file.path,
    arn,
    policyId: stableId("ANPA", arn, 17),
    versionId: file.versionId,
    created: new Date(file.createDate),
    document: file.document,
  };
});

/** The ARNs of the AWS managed policies whose documents the emulator knows. */
export const AWS_MANAGED_POLICY_ARNS = AWS_MANAGED.map((p) => p.arn);

/** The account's own managed policies. */
export function localPolicies(account: ScenarioAccount, now: Date): ManagedPolicy[] {
  return account.policies.map((policy) => {
    const arn = `arn:aws:iam::${account.id}:policy${policy.path}${policy.name}`;
    return {
      name: policy.name,
      path: policy.path,
      arn,
      policyId: stableId("ANPA", arn, 17),
      versionId: "v1",
      created: accountCreated(account, now),
      document: policy.document,
    };
  });
}

/**
 * A resolver of scenario references (an ARN, or the name of one of the account's own policies).
 * An unknown policy answers NoSuchEntity: the scenario refers to a policy the emulator cannot serve.
 */
export function policyResolver(account: ScenarioAccount, now: Date): (reference: string) => ManagedPolicy {
  const local = localPolicies(account, now);
  return (reference) => {
    const found = reference.startsWith("arn:")
      ? [...local, ...AWS_MANAGED].find((p) => p.arn === reference)
      : local.find((p) => p.name === reference);
    if (!found) {
      throw new AwsError("NoSuchEntity", `Policy ${reference} does not exist or is not attachable.`, 404);
    }
    return found;
  };
}
