/** IAM Identity Center administration (sso-admin, JSON 1.1, signing name `sso`): ListInstances. */
import { AwsError, type RequestContext, type ServiceDefinition } from "../types.js";
import { optionalInt, paginate } from "./json/input.js";

const MAX_RESULTS = 100;
/** Scenarios give no creation date: a fixed one keeps responses repeatable. */
const CREATED = new Date("2023-02-01T10:00:00Z");

const validation = (message: string) => new AwsError("ValidationException", message);

/** The account's Identity Center instance, visible only in the region it lives in. */
function listInstances(ctx: RequestContext) {
  const pageSize = optionalInt(ctx.input, "MaxResults", 1, MAX_RESULTS, validation) ?? MAX_RESULTS;
  const center = ctx.account.identityCenter;
  const instances =
    center && center.region === ctx.region
      ? [
          {
            InstanceArn: `arn:aws:sso:::instance/ssoins-${center.instanceId}`,
            IdentityStoreId: center.identityStoreId,
            OwnerAccountId: ctx.account.id,
            Name: ctx.account.name,
            CreatedDate: CREATED,
            Status: "ACTIVE",
          },
        ]
      : [];
  const { page, nextToken } = paginate(instances, {
    nextToken: ctx.input.NextToken,
    pageSize,
    scope: "ListInstances",
    invalidToken: () => validation("The pagination token is invalid."),
  });
  return { Instances: page, NextToken: nextToken };
}

export const sso: ServiceDefinition = {
  name: "sso",
  protocol: "json",
  targetPrefix: "SWBExternalService",
  handlers: { ListInstances: listInstances },
};
