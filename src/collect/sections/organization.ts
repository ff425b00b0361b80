import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import type { OrganizationInfo } from "../../snapshot/types.js";
import { type CollectContext, call, SectionFailure } from "../context.js";

export const NOT_IN_ORGANIZATION = "AWSOrganizationsNotInUseException";

export async function readOrganization(ctx: CollectContext): Promise<OrganizationInfo> {
  try {
    const out = await call(ctx, "organizations:DescribeOrganization", (o) =>
      ctx.clients.get("organizations").send(new DescribeOrganizationCommand({}), o),
    );
    return {
      inOrganization: true,
      organizationId: out.Organization?.Id ?? null,
      managementAccountId: out.Organization?.MasterAccountId ?? null,
      featureSet: out.Organization?.FeatureSet ?? null,
    };
  } catch (error) {
    if (error instanceof SectionFailure && error.error.code === NOT_IN_ORGANIZATION) {
      return { inOrganization: false, organizationId: null, managementAccountId: null, featureSet: null };
    }
    throw error;
  }
}
