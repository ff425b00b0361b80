import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { CallerIdentity } from "../../snapshot/types.js";
import { type CollectContext, call } from "../context.js";

export async function readCallerIdentity(ctx: CollectContext): Promise<CallerIdentity> {
  const out = await call(ctx, "sts:GetCallerIdentity", (o) =>
    ctx.clients.get("sts").send(new GetCallerIdentityCommand({}), o),
  );
  return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
}
