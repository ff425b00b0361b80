import {
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  type Policy,
} from "@aws-sdk/client-organizations";
import type { PolicyDocument, ServiceControlPolicies, ServiceControlPolicy } from "../../snapshot/types.js";
import { allPages, type CollectContext, call, SectionFailure } from "../context.js";
import { NOT_IN_ORGANIZATION } from "./organization.js";

/** The SCPs attached to the account and to every OU above it up to the root. */
export async function readServiceControlPolicies(ctx: CollectContext): Promise<ServiceControlPolicies> {
  const org = ctx.clients.get("organizations");
  const targets = [ctx.accountId];
  try {
    for (let child = ctx.accountId; ; ) {
      const ChildId = child;
      const out = await call(ctx, "organizations:ListParents", (o) =>
        org.send(new ListParentsCommand({ ChildId }), o),
      );
      const parent = out.Parents?.[0];
      if (!parent?.Id) break;
      targets.push(parent.Id);
      if (parent.Type === "ROOT") break;
      child = parent.Id;
    }
  } catch (error) {
    if (error instanceof SectionFailure && error.error.code === NOT_IN_ORGANIZATION) {
      return { targets: [], policies: [] };
    }
    throw error;
  }
  const attachments = await Promise.all(
    targets.map(async (TargetId) => {
      const pages = await allPages(
        (NextToken) =>
          call(ctx, "organizations:ListPoliciesForTarget", (o) =>
            org.send(
              new ListPoliciesForTargetCommand({ TargetId, Filter: "SERVICE_CONTROL_POLICY", NextToken }),
              o,
            ),
          ),
        (page) => page.NextToken,
      );
      return pages.flatMap((page) =>
        (page.Policies ?? []).map((p) => ({ targetId: TargetId, id: p.Id ?? "" })),
      );
    }),
  );
  const ids = [...new Set(attachments.flat().map((a) => a.id))];
  const described = new Map(
    await Promise.all(
      ids.map(async (PolicyId) => {
        const out = await call(ctx, "organizations:DescribePolicy", (o) =>
          org.send(new DescribePolicyCommand({ PolicyId }), o),
        );
        return [PolicyId, out.Policy] as const;
      }),
    ),
  );
  const policies: ServiceControlPolicy[] = attachments
    .flat()
    .map(({ targetId, id }) => toServiceControlPolicy(id, targetId, described.get(id)));
  return { targets, policies };
}

/** One SCP attachment as the snapshot keeps it; a policy whose content is not JSON fails the section. */
export function toServiceControlPolicy(
  id: string,
  targetId: string,
  policy: Policy | undefined,
): ServiceControlPolicy {
  let document: PolicyDocument;
  try {
    document = JSON.parse(policy?.Content ?? "{}") as PolicyDocument;
  } catch (error) {
    throw new SectionFailure({
      code: "PolicyDocumentUnreadable",
      message: `SCP ${id} is not JSON: ${(error as Error).message}`,
      operation: "organizations:DescribePolicy",
    });
  }
  return {
    id,
    name: policy?.PolicySummary?.Name ?? "",
    arn: policy?.PolicySummary?.Arn ?? "",
    targetId,
    document,
  };
}
