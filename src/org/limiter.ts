/**
 * The per-account, per-service limiter of an organization scan: each account gets its own clients,
 * and at most `perService` requests of one service are in flight for one account at a time, so a
 * large account cannot flood one service's rate limit. The SDK's retries (with backoff) handle
 * the throttles that still happen; a retry waits outside the limit: a slot is held for one
 * attempt only.
 */
import {
  type ClientFactory,
  type ClientOptions,
  createClientFactory,
  type ServiceKey,
} from "../aws/clients.js";

/** A counting semaphore: `run` waits for a free slot, holds it while `work` runs. */
export function createSemaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "finalizeRequest"; priority: "low"; name: string },
    ): void;
  };
}

/** A client factory whose clients share one semaphore per service. */
export function createLimitedClients(options: ClientOptions, perService: number): ClientFactory {
  const inner = createClientFactory(options);
  const semaphores = new Map<ServiceKey, ReturnType<typeof createSemaphore>>();
  const limited = new WeakSet<object>();
  return {
    region: inner.region,
    get(service, region) {
      const client = inner.get(service, region);
      if (!limited.has(client)) {
        limited.add(client);
        let semaphore = semaphores.get(service);
        if (!semaphore) {
          semaphore = createSemaphore(perService);
          semaphores.set(service, semaphore);
        }
        const slot = semaphore;
        (client as unknown as MiddlewareClient).middlewareStack.add(
          (next) => (args) => slot.run(() => next(args)),
          { step: "finalizeRequest", priority: "low", name: "mfawatchAccountLimiter" },
        );
      }
      return client;
    },
    release: (service, region) => inner.release(service, region),
    destroy: () => inner.destroy(),
  };
}
