import {
  GetAccountAuthorizationDetailsCommand,
  type PolicyDetail,
  type AttachedPolicy as SdkAttachedPolicy,
} from "@aws-sdk/client-iam";
import type {
  AttachedPolicy,
  AuthorizationDetails,
  InlinePolicy,
  PolicyDocument,
} from "../../snapshot/types.js";
import { allPages, type CollectContext, call, SectionFailure } from "../context.js";

/** IAM returns policy documents URL-encoded. */
export function decodePolicyDocument(encoded: string | undefined, where: string): PolicyDocument {
  if (encoded === undefined) return {};
  try {
    return JSON.parse(decodeURIComponent(encoded)) as PolicyDocument;
  } catch (error) {
    throw new SectionFailure({
      code: "PolicyDocumentUnreadable",
      message: `the policy document of ${where} is not URL-encoded JSON: ${(error as Error).message}`,
      operation: "iam:GetAccountAuthorizationDetails",
    });
  }
}

function inline(list: PolicyDetail[] | undefined, owner: string): InlinePolicy[] {
  return (list ?? []).map((p) => ({
    name: p.PolicyName ?? "",
    document: decodePolicyDocument(p.PolicyDocument, `${owner}/${p.PolicyName}`),
  }));
}

function attached(list: SdkAttachedPolicy[] | undefined): AttachedPolicy[] {
  return (list ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" }));
}

/** Users, groups, roles and managed policies (default version only), all pages. */
export async function readAuthorizationDetails(ctx: CollectContext): Promise<AuthorizationDetails> {
  const iam = ctx.clients.get("iam");
  const pages = await allPages(
    (Marker) =>
      call(ctx, "iam:GetAccountAuthorizationDetails", (o) =>
        iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, Marker }), o),
      ),
    (page) => (page.IsTruncated ? page.Marker : undefined),
  );
  const details: AuthorizationDetails = { users: [], groups: [], roles: [], policies: [] };
  for (const page of pages) {
    for (const u of page.UserDetailList ?? []) {
      details.users.push({
        userName: u.UserName ?? "",
        userId: u.UserId ?? "",
        arn: u.Arn ?? "",
        path: u.Path ?? "/",
        createDate: u.CreateDate?.toISOString() ?? "",
        groups: u.GroupList ?? [],
        inlinePolicies: inline(u.UserPolicyList, `user ${u.UserName}`),
        attachedManagedPolicies: attached(u.AttachedManagedPolicies),
        permissionsBoundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      });
    }
    for (const g of page.GroupDetailList ?? []) {
      details.groups.push({
        groupName: g.GroupName ?? "",
        groupId: g.GroupId ?? "",
        arn: g.Arn ?? "",
        path: g.Path ?? "/",
        inlinePolicies: inline(g.GroupPolicyList, `group ${g.GroupName}`),
        attachedManagedPolicies: attached(g.AttachedManagedPolicies),
      });
    }
    for (const r of page.RoleDetailList ?? []) {
      details.roles.push({
        roleName: r.RoleName ?? "",
        roleId: r.RoleId ?? "",
        arn: r.Arn ?? "",
        path: r.Path ?? "/",
        assumeRolePolicyDocument: decodePolicyDocument(
          r.AssumeRolePolicyDocument,
          `role ${r.RoleName} trust`,
        ),
        inlinePolicies: inline(r.RolePolicyList, `role ${r.RoleName}`),
        attachedManagedPolicies: attached(r.AttachedManagedPolicies),
        permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      });
    }
    for (const p of page.Policies ?? []) {
      const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion);
      details.policies.push({
        policyName: p.PolicyName ?? "",
        arn: p.Arn ?? "",
        path: p.Path ?? "/",
        defaultVersionId: p.DefaultVersionId ?? version?.VersionId ?? "",
        attachmentCount: p.AttachmentCount ?? 0,
        document: decodePolicyDocument(version?.Document, `policy ${p.Arn}`),
      });
    }
  }
  return details;
}
