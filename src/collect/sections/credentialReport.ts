import { GenerateCredentialReportCommand, GetCredentialReportCommand } from "@aws-sdk/client-iam";
import type { CredentialReport } from "../../snapshot/types.js";
import { type CollectContext, call, SectionFailure, sleep } from "../context.js";
import { CredentialReportParseError, parseCredentialReport } from "../credentialReportCsv.js";

/** GenerateCredentialReport's state; LimitExceeded (too many requests for reports) counts as in progress. */
async function generate(ctx: CollectContext): Promise<string> {
  try {
    const out = await call(ctx, "iam:GenerateCredentialReport", (o) =>
      ctx.clients.get("iam").send(new GenerateCredentialReportCommand({}), o),
    );
    return out.State ?? "STARTED";
  } catch (error) {
    if (error instanceof SectionFailure && error.error.code.replace(/Exception$/, "") === "LimitExceeded") {
      return "LIMIT_EXCEEDED";
    }
    throw error;
  }
}

/** Asks IAM for a report until it is COMPLETE (backing off up to 5 s), then reads and parses it. */
export async function readCredentialReport(ctx: CollectContext): Promise<CredentialReport> {
  const iam = ctx.clients.get("iam");
  const deadline = Date.now() + ctx.settings.credentialReportWaitMs;
  let delay = 250;
  for (;;) {
    const state = await generate(ctx);
    if (state === "COMPLETE") break;
    if (Date.now() + delay > deadline) {
      throw new SectionFailure({
        code: "CredentialReportTimeout",
        message: `the credential report was still ${state} after ${ctx.settings.credentialReportWaitMs / 1000} s`,
        operation: "iam:GenerateCredentialReport",
      });
    }
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, 5000);
  }
  const report = await call(ctx, "iam:GetCredentialReport", (o) =>
    iam.send(new GetCredentialReportCommand({}), o),
  );
  const csv = new TextDecoder().decode(report.Content ?? new Uint8Array());
  try {
    const parsed = parseCredentialReport(csv);
    return { generatedTime: report.GeneratedTime?.toISOString() ?? "", ...parsed };
  } catch (error) {
    if (!(error instanceof CredentialReportParseError)) throw error;
    throw new SectionFailure({
      code: "CredentialReportUnreadable",
      message: error.message,
      operation: "iam:GetCredentialReport",
    });
  }
}
