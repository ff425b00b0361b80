/**
 * Faults: latency, throttling by token bucket per (account, service), CloudTrail LookupEvents' own
 * limit, and injected failures for chosen operations and accounts (from the scenario or added at run time).
 */
import type { Scenario, ScenarioFault } from "./scenario.js";
import type { ServiceName } from "./types.js";

/** A fault as a scenario writes it; `latencyMs` defaults to 0. */
export type FaultInput = Omit<ScenarioFault, "latencyMs"> & { latencyMs?: number };

/** What to do with one request: wait `delayMs`, then fail with `fail` or go on. */
export interface FaultDecision {
  delayMs: number;
  fail?: Exclude<ScenarioFault["kind"], "Latency">;
}

export interface FaultTarget {
  accountId: string;
  service: ServiceName;
  operation: string;
  region: string;
}

interface ActiveFault {
  fault: ScenarioFault;
  /** An account id or `*`. */
  accountId: string;
  /** Failures left; undefined: always. */
  remaining?: number;
}

/** A token bucket's refill rate and size. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** CloudTrail LookupEvents: 2 requests per second per account per region (AWS's documented limit). */
const LOOKUP_EVENTS_LIMIT: RateLimit = { ratePerSecond: 2, burst: 2 };

class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export function matchesOperation(pattern: string, service: ServiceName, operation: string): boolean {
  if (pattern === "*") return true;
  const [svc, op] = pattern.split(":");
  return svc === service && (op === "*" || op === operation);
}

export class Faults {
  private readonly scenarioFaults: ActiveFault[];
  private runtimeFaults: ActiveFault[] = [];
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly scenario: Scenario,
    private readonly random: () => number = Math.random,
    private readonly lookupEventsLimit: RateLimit = LOOKUP_EVENTS_LIMIT,
  ) {
    this.scenarioFaults = scenario.accounts.flatMap((account) =>
      account.faults.map((fault) => ({ fault, accountId: account.id, remaining: fault.times })),
    );
  }

  /** Adds a fault for one account or every account (`*`). */
  add(accountId: string, input: FaultInput): void {
    if (input.kind === "LimitExceeded" && !input.operation.startsWith("iam:")) {
      throw new Error(`a LimitExceeded fault is IAM's: ${input.operation} is not an iam: operation`);
    }
    const fault: ScenarioFault = { ...input, latencyMs: input.latencyMs ?? 0 };
    this.runtimeFaults.push({ fault, accountId, remaining: fault.times });
  }

  /** Removes the faults added at run time; the scenario's own stay. */
  clear(): void {
    this.runtimeFaults = [];
  }

  decide(target: FaultTarget): FaultDecision {
    const account = this.scenario.accounts.find((a) => a.id === target.accountId);
    const latency = account?.latency ?? this.scenario.latency;
    let delayMs = latency ? latency.ms + this.random() * latency.jitterMs : 0;

    let fail: FaultDecision["fail"];
    for (const active of this.matching(target)) {
      if (active.fault.kind === "Latency") {
        delayMs += active.fault.latencyMs;
        this.consume(active);
      } else if (!fail) {
        fail = active.fault.kind;
        this.consume(active);
      }
    }
    if (!fail && !this.takeToken(target)) fail = "Throttling";
    return fail ? { delayMs, fail } : { delayMs };
  }

  private matching(target: FaultTarget): ActiveFault[] {
    return [...this.scenarioFaults, ...this.runtimeFaults].filter(
      (active) =>
        (active.remaining === undefined || active.remaining > 0) &&
        (active.accountId === "*" || active.accountId === target.accountId) &&
        matchesOperation(active.fault.operation, target.service, target.operation),
    );
  }

  private consume(active: ActiveFault): void {
    if (active.remaining !== undefined) active.remaining -= 1;
  }

  /** The scenario's throttle (if any) and, for LookupEvents, CloudTrail's own limit: both apply. */
  private takeToken(target: FaultTarget): boolean {
    const account = this.scenario.accounts.find((a) => a.id === target.accountId);
    const throttle = account?.throttle ?? this.scenario.throttle;
    if (throttle && !this.bucket(`${target.accountId}|${target.service}`, throttle).take()) return false;
    if (target.service === "cloudtrail" && target.operation === "LookupEvents") {
      return this.bucket(`${target.accountId}|LookupEvents|${target.region}`, this.lookupEventsLimit).take();
    }
    return true;
  }

  private bucket(key: string, limit: RateLimit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.ratePerSecond, limit.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
