import { GetAccountSummaryCommand } from "@aws-sdk/client-iam";
import type { AccountSummary } from "../../snapshot/types.js";
import { type CollectContext, call } from "../context.js";

export async function readAccountSummary(ctx: CollectContext): Promise<AccountSummary> {
  const out = await call(ctx, "iam:GetAccountSummary", (o) =>
    ctx.clients.get("iam").send(new GetAccountSummaryCommand({}), o),
  );
  const summary: AccountSummary = {};
  for (const [key, value] of Object.entries(out.SummaryMap ?? {})) {
    if (typeof value === "number") summary[key] = value;
  }
  return summary;
}
