/** Shared by the collector's tests: an emulator loaded with a test scenario, and fast settings. */
import { fileURLToPath } from "node:url";
import { type ClientFactory, createClientFactory } from "../../aws/clients.js";
import { loadScenario, type Scenario } from "../../emulator/scenario.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/server.js";
import { AwsError, type Handler, type ServiceDefinition } from "../../emulator/types.js";
import type { CollectOptions } from "../collectAccount.js";
import { type CollectContext, type CollectSettings, DEFAULT_COLLECT_SETTINGS } from "../context.js";

export const MANAGEMENT = "111111111111";
export const MEMBER = "222222222222";
export const STANDALONE = "333333333333";

export function testScenario(name: string): Scenario {
  return loadScenario(fileURLToPath(new URL(`../../../scenarios/test/${name}.yaml`, import.meta.url)));
}

/** A test scenario's name, a parsed scenario, or full emulator options. */
export type EmulatorSetup = string | Scenario | EmulatorOptions;

export function startEmulator(setup: EmulatorSetup): Promise<Emulator> {
  if (typeof setup === "string") return createEmulator({ scenario: testScenario(setup), port: 0 });
  if ("scenario" in setup) return createEmulator({ port: 0, ...setup });
  return createEmulator({ scenario: setup, port: 0 });
}

/** Options that reach the emulator as `accountId` and keep retries quick. */
export function fastOptions(
  emulator: Emulator,
  accountId: string,
  extra: Partial<CollectOptions> = {},
): CollectOptions {
  return {
    credentials: emulator.credentialsFor(accountId),
    region: "us-east-1",
    endpoint: emulator.endpoint,
    maxAttempts: 2,
    credentialReportWaitMs: 10_000,
    ...extra,
  };
}

/** Runs `use` with its own emulator, so that tests can run concurrently (faults and CloudTrail limits are per emulator). */
export async function withEmulator<T>(
  setup: EmulatorSetup,
  use: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator(setup);
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

/** A section reader's context on the emulator, for testing one reader; destroy `ctx.clients` after. */
export function readerContext(
  emulator: Emulator,
  accountId: string,
  settings: Partial<CollectSettings> = {},
  clients: ClientFactory = createClientFactory({
    credentials: emulator.credentialsFor(accountId),
    region: "us-east-1",
    endpoint: emulator.endpoint,
    maxAttempts: 2,
  }),
): CollectContext {
  return {
    clients,
    region: "us-east-1",
    accountId,
    now: new Date(),
    settings: { ...DEFAULT_COLLECT_SETTINGS, credentialReportWaitMs: 10_000, ...settings },
  };
}

/** The service with every operation refused in `region`, as a service control policy with a region condition does. */
export function deniedIn(definition: ServiceDefinition, region: string, code: string): ServiceDefinition {
  const handlers = Object.entries(definition.handlers).map(([operation, handler]): [string, Handler] => [
    operation,
    (ctx) => {
      if (ctx.region === region) {
        throw new AwsError(code, `explicit deny in a service control policy (region ${region})`);
      }
      return handler(ctx);
    },
  ]);
  return { ...definition, handlers: Object.fromEntries(handlers) };
}
