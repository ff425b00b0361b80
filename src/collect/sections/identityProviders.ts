import { ListOpenIDConnectProvidersCommand, ListSAMLProvidersCommand } from "@aws-sdk/client-iam";
import type { IdentityProviders } from "../../snapshot/types.js";
import { type CollectContext, call } from "../context.js";

export async function readIdentityProviders(ctx: CollectContext): Promise<IdentityProviders> {
  const iam = ctx.clients.get("iam");
  const [oidc, saml] = await Promise.all([
    call(ctx, "iam:ListOpenIDConnectProviders", (o) =>
      iam.send(new ListOpenIDConnectProvidersCommand({}), o),
    ),
    call(ctx, "iam:ListSAMLProviders", (o) => iam.send(new ListSAMLProvidersCommand({}), o)),
  ]);
  return {
    oidc: (oidc.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? ""),
    saml: (saml.SAMLProviderList ?? []).map((p) => p.Arn ?? ""),
  };
}
