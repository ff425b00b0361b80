import { ListUsersCommand } from "@aws-sdk/client-identitystore";
import { ListInstancesCommand } from "@aws-sdk/client-sso-admin";
import type { IdentityCenter, IdentityCenterInstance, Section } from "../../snapshot/types.js";
import { allPages, type CollectContext, call, dependencyFailed, perRegion } from "../context.js";

/** Regions searched at once. */
const REGIONS_IN_FLIGHT = 8;

/**
 * Identity Center instances in the searched regions and the users of each identity store. A region
 * whose search fails is recorded in `failedRegions`; when every region fails, or a found instance's
 * users cannot be listed, the section fails.
 */
export async function readIdentityCenter(
  ctx: CollectContext,
  regions: Section<string[]>,
): Promise<IdentityCenter> {
  let searched = ctx.settings.identityCenterRegions;
  if (!searched) {
    if (regions.status === "error") throw dependencyFailed("regions", regions);
    searched = regions.data;
  }
  const { read, failed, results } = await perRegion(searched, REGIONS_IN_FLIGHT, async (region) => {
    const sso = ctx.clients.get("ssoAdmin", region);
    const pages = await allPages(
      (NextToken) =>
        call(ctx, "sso:ListInstances", (o) => sso.send(new ListInstancesCommand({ NextToken }), o)),
      (page) => page.NextToken,
    ).finally(() => ctx.clients.release("ssoAdmin", region));
    return pages.flatMap((page) =>
      (page.Instances ?? []).map(
        (i): IdentityCenterInstance => ({
          instanceArn: i.InstanceArn ?? "",
          identityStoreId: i.IdentityStoreId ?? "",
          ownerAccountId: i.OwnerAccountId ?? null,
          status: i.Status ?? null,
          region,
        }),
      ),
    );
  });
  const instances = results.flat();
  const users = await Promise.all(
    instances.map(async (instance) => {
      const store = ctx.clients.get("identitystore", instance.region);
      const IdentityStoreId = instance.identityStoreId;
      const pages = await allPages(
        (NextToken) =>
          call(ctx, "identitystore:ListUsers", (o) =>
            store.send(new ListUsersCommand({ IdentityStoreId, NextToken }), o),
          ),
        (page) => page.NextToken,
      );
      return pages.flatMap((page) =>
        (page.Users ?? []).map((u) => ({
          userId: u.UserId ?? "",
          userName: u.UserName ?? "",
          identityStoreId: IdentityStoreId,
        })),
      );
    }),
  );
  return { regions: read, failedRegions: failed, instances, users: users.flat() };
}
