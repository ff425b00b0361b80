import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { type CollectContext, call } from "../context.js";

/** The regions enabled for the account (DescribeRegions without AllRegions). */
export async function readRegions(ctx: CollectContext): Promise<string[]> {
  const out = await call(ctx, "ec2:DescribeRegions", (o) =>
    ctx.clients.get("ec2").send(new DescribeRegionsCommand({}), o),
  );
  return (out.Regions ?? [])
    .filter((r) => r.OptInStatus !== "not-opted-in")
    .map((r) => r.RegionName ?? "")
    .filter(Boolean)
    .sort();
}
