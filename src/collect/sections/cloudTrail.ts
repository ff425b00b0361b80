import { type Event, LookupEventsCommand, type LookupEventsCommandOutput } from "@aws-sdk/client-cloudtrail";
import type { FinalizeRequestMiddleware } from "@aws-sdk/types";
import type { CloudTrailData, Section, TrailEvent } from "../../snapshot/types.js";
import {
  allPages,
  type CollectContext,
  call,
  createPacer,
  dependencyFailed,
  perRegion,
  SectionFailure,
} from "../context.js";

/** Sign-in events, read in every enabled region. */
export const SIGN_IN_EVENTS = ["ConsoleLogin", "UserAuthentication"];

/** IAM changes to MFA and credentials, recorded in us-east-1. */
export const IAM_EVENTS = [
  "DeactivateMFADevice",
  "DeleteVirtualMFADevice",
  "EnableMFADevice",
  "CreateVirtualMFADevice",
  "CreateLoginProfile",
  "DeleteLoginProfile",
  "CreateAccessKey",
];

export const IAM_EVENTS_REGION = "us-east-1";

function trim(event: Event, region: string): TrailEvent {
  let detail: Record<string, unknown> = {};
  if (event.CloudTrailEvent) {
    try {
      detail = JSON.parse(event.CloudTrailEvent) as Record<string, unknown>;
    } catch (error) {
      throw new SectionFailure({
        code: "CloudTrailEventUnreadable",
        message: `event ${event.EventId} in ${region}: CloudTrailEvent is not JSON: ${(error as Error).message}`,
        operation: "cloudtrail:LookupEvents",
      });
    }
  }
  return {
    eventId: event.EventId ?? "",
    eventName: event.EventName ?? "",
    eventSource: event.EventSource ?? "",
    eventTime: event.EventTime?.toISOString() ?? "",
    region,
    username: event.Username ?? null,
    detail,
  };
}

/** Inside the SDK's retry middleware, so that every attempt, retries included, waits for the pacer. */
const PACER = {
  name: "mfawatchLookupEventsPacer",
  relation: "after",
  toMiddleware: "retryMiddleware",
} as const;

function pacedAttempts(
  pace: () => Promise<void>,
): FinalizeRequestMiddleware<object, LookupEventsCommandOutput> {
  return (next) => async (args) => {
    await pace();
    return next(args);
  };
}

/**
 * LookupEvents over the window, one event name per lookup, all pages, every attempt paced per
 * region below CloudTrail's 2 requests per second; regions run in parallel. A region with a failed
 * lookup (e.g. denied by an SCP) is recorded in `failedRegions` and its events are left out; when
 * every region fails, the section fails.
 */
export async function readCloudTrail(
  ctx: CollectContext,
  regions: Section<string[]>,
): Promise<CloudTrailData> {
  if (regions.status === "error") throw dependencyFailed("regions", regions);
  const end = ctx.now;
  const start = new Date(end.getTime() - ctx.settings.cloudTrailDays * 86_400_000);
  const { read, failed, results } = await perRegion(regions.data, regions.data.length, async (region) => {
    const names = region === IAM_EVENTS_REGION ? [...SIGN_IN_EVENTS, ...IAM_EVENTS] : SIGN_IN_EVENTS;
    const client = ctx.clients.get("cloudtrail", region);
    const pace = createPacer(ctx.settings.cloudTrailRequestsPerSecond, ctx.signal);
    const events: TrailEvent[] = [];
    try {
      for (const name of names) {
        const pages = await allPages(
          async (NextToken) => {
            const command = new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
              StartTime: start,
              EndTime: end,
              MaxResults: 50,
              NextToken,
            });
            command.middlewareStack.addRelativeTo(pacedAttempts(pace), PACER);
            try {
              return await call(ctx, "cloudtrail:LookupEvents", (o) => client.send(command, o));
            } catch (error) {
              if (!(error instanceof SectionFailure)) throw error;
              throw new SectionFailure({
                ...error.error,
                message: `LookupEvents ${name} in ${region}: ${error.error.message}`,
              });
            }
          },
          (page) => page.NextToken,
        );
        events.push(...pages.flatMap((page) => (page.Events ?? []).map((e) => trim(e, region))));
      }
    } finally {
      ctx.clients.release("cloudtrail", region);
    }
    return events;
  });
  const events = results.flat().sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return { start: start.toISOString(), end: end.toISOString(), regions: read, failedRegions: failed, events };
}
