import { ListOrganizationsFeaturesCommand } from "@aws-sdk/client-iam";
import type { RootCredentialsManagement } from "../../snapshot/types.js";
import { type CollectContext, call, SectionFailure } from "../context.js";

/**
 * Answers that prove no centralized root access feature can be enabled (no organization, IAM's
 * trusted access off, not all features): `ok` with no features. Matched with and without the
 * `Exception` suffix. Any other refusal (e.g. a member account) is an error.
 */
const NO_FEATURES = ["OrganizationNotFound", "ServiceAccessNotEnabled", "OrganizationNotInAllFeaturesMode"];

export async function readRootCredentialsManagement(ctx: CollectContext): Promise<RootCredentialsManagement> {
  try {
    const out = await call(ctx, "iam:ListOrganizationsFeatures", (o) =>
      ctx.clients.get("iam").send(new ListOrganizationsFeaturesCommand({}), o),
    );
    return { enabledFeatures: [...(out.EnabledFeatures ?? [])].sort() };
  } catch (error) {
    if (error instanceof SectionFailure && NO_FEATURES.includes(error.error.code.replace(/Exception$/, ""))) {
      return { enabledFeatures: [] };
    }
    throw error;
  }
}
