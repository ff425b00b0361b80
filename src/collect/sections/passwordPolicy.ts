import { GetAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import type { PasswordPolicy } from "../../snapshot/types.js";
import { type CollectContext, call, SectionFailure } from "../context.js";

/** The account password policy; null when the account has none (NoSuchEntity, which the SDK names NoSuchEntityException). */
export async function readPasswordPolicy(ctx: CollectContext): Promise<PasswordPolicy | null> {
  try {
    const out = await call(ctx, "iam:GetAccountPasswordPolicy", (o) =>
      ctx.clients.get("iam").send(new GetAccountPasswordPolicyCommand({}), o),
    );
    const p = out.PasswordPolicy ?? {};
    const policy: PasswordPolicy = {
      minimumPasswordLength: p.MinimumPasswordLength,
      requireSymbols: p.RequireSymbols,
      requireNumbers: p.RequireNumbers,
      requireUppercaseCharacters: p.RequireUppercaseCharacters,
      requireLowercaseCharacters: p.RequireLowercaseCharacters,
      allowUsersToChangePassword: p.AllowUsersToChangePassword,
      expirePasswords: p.ExpirePasswords,
      maxPasswordAge: p.MaxPasswordAge,
      passwordReusePrevention: p.PasswordReusePrevention,
      hardExpiry: p.HardExpiry,
    };
    return Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)) as PasswordPolicy;
  } catch (error) {
    if (error instanceof SectionFailure && error.error.code.replace(/Exception$/, "") === "NoSuchEntity")
      return null;
    throw error;
  }
}
