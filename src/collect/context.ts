/**
 * What every section reader gets, and the helpers that turn failed calls into section errors.
 */
import type { ClientFactory } from "../aws/clients.js";
import { toSectionError } from "../aws/errors.js";
import type { RegionFailure, Section, SectionError } from "../snapshot/types.js";

export type UserMfaDevicesMode = "auto" | "all" | "none";

export interface CollectSettings {
  cloudTrailDays: number;
  /** Requests per second per region for CloudTrail LookupEvents (AWS allows 2). */
  cloudTrailRequestsPerSecond: number;
  /** Regions to look for an Identity Center instance; null: every enabled region. */
  identityCenterRegions: string[] | null;
  userMfaDevices: UserMfaDevicesMode;
  /** In `auto` mode, ListMFADevices runs only when at most this many users need it. */
  userMfaDevicesLimit: number;
  /** How long to wait for the credential report to be generated. */
  credentialReportWaitMs: number;
}

/** What collection does unless told otherwise (the CLI's flags and configuration). */
export const DEFAULT_COLLECT_SETTINGS: CollectSettings = {
  cloudTrailDays: 30,
  cloudTrailRequestsPerSecond: 1.8,
  identityCenterRegions: null,
  userMfaDevices: "auto",
  userMfaDevicesLimit: 100,
  /** Large accounts can take minutes. */
  credentialReportWaitMs: 300_000,
};

export interface CollectContext {
  clients: ClientFactory;
  region: string;
  accountId: string;
  now: Date;
  signal?: AbortSignal;
  settings: CollectSettings;
}

/** A section that cannot be read: becomes `{ status: "error", error }`. */
export class SectionFailure extends Error {
  constructor(readonly error: SectionError) {
    super(`${error.code}: ${error.message}`);
    this.name = "SectionFailure";
  }
}

/** Sends one SDK call; a failure becomes a SectionFailure naming the operation, an abort stays an abort. */
export async function call<T>(
  ctx: CollectContext,
  operation: string,
  send: (options: { abortSignal?: AbortSignal }) => Promise<T>,
): Promise<T> {
  ctx.signal?.throwIfAborted();
  try {
    return await send(ctx.signal ? { abortSignal: ctx.signal } : {});
  } catch (error) {
    ctx.signal?.throwIfAborted();
    throw new SectionFailure(toSectionError(error, operation));
  }
}

/**
 * Follows a marker/token until the last page, calling `page` with the previous page's token. A
 * token that comes back a second time would loop forever: it fails the section (`PaginationLoop`).
 */
export async function allPages<P>(
  page: (token: string | undefined) => Promise<P>,
  next: (page: P) => string | undefined,
): Promise<P[]> {
  const pages: P[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const result = await page(token);
    pages.push(result);
    token = next(result);
    if (token && seen.has(token)) {
      throw new SectionFailure({
        code: "PaginationLoop",
        message: `page ${pages.length} returned a pagination token already followed; stopped to avoid looping forever`,
      });
    }
    if (token) seen.add(token);
  } while (token);
  return pages;
}

/** Runs a section reader: its data, or the error that stopped it. Aborts propagate. */
export async function runSection<T>(ctx: CollectContext, read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { status: "ok", data: await read() };
  } catch (error) {
    ctx.signal?.throwIfAborted();
    if (error instanceof SectionFailure) return { status: "error", error: error.error };
    const err = error as Error;
    return { status: "error", error: { code: err.name || "Error", message: err.message } };
  }
}

/** The error of a section that depends on another section that failed. */
export function dependencyFailed(dependency: string, section: Section<unknown>): SectionFailure {
  const cause = section.status === "error" ? section.error : { code: "Unknown", message: "" };
  return new SectionFailure({
    code: cause.code,
    message: `needs the ${dependency} section, which failed: ${cause.code}: ${cause.message}`,
    ...(cause.operation ? { operation: cause.operation } : {}),
  });
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure rejects. */
export async function mapLimit<I, O>(items: I[], limit: number, work: (item: I) => Promise<O>): Promise<O[]> {
  const results: O[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface PerRegion<O> {
  /** The regions read, in the order given. */
  read: string[];
  /** The regions whose read failed, by region name. */
  failed: RegionFailure[];
  /** Each region's result, in the order of `read`. */
  results: O[];
}

/**
 * Reads each region with at most `limit` in flight. A region whose read fails (a SectionFailure,
 * e.g. an SCP denying the region) is recorded and the others are kept; when every region fails,
 * the section fails with the first region's code. Aborts propagate.
 */
export async function perRegion<O>(
  regions: string[],
  limit: number,
  read: (region: string) => Promise<O>,
): Promise<PerRegion<O>> {
  const outcomes = await mapLimit(regions, limit, async (region) => {
    try {
      return { region, result: await read(region) };
    } catch (error) {
      if (!(error instanceof SectionFailure)) throw error;
      return { region, failure: { region, ...error.error } };
    }
  });
  const failed = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
  const first = failed[0];
  if (first && failed.length === regions.length) {
    throw new SectionFailure({
      code: first.code,
      ...(first.operation ? { operation: first.operation } : {}),
      message: `no region could be read: ${failed.map((f) => `${f.region}: ${f.message}`).join("; ")}`,
    });
  }
  const done = outcomes.flatMap((o) => (o.failure ? [] : [{ region: o.region, result: o.result as O }]));
  return {
    read: done.map((o) => o.region),
    failed: failed.sort((a, b) => a.region.localeCompare(b.region)),
    results: done.map((o) => o.result),
  };
}

/** Waits `ms`, or rejects with the abort reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Spaces calls at least `1000 / perSecond` ms apart, in order of arrival. */
export function createPacer(perSecond: number, signal?: AbortSignal): () => Promise<void> {
  const interval = 1000 / perSecond;
  let nextSlot = 0;
  return async () => {
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await sleep(slot - now, signal);
  };
}
