import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { expect, it } from "vitest";
import { withEmulator } from "../collect/test-support/emulator.js";
import { parseScenario } from "../emulator/scenario.js";
import { createLimitedClients, createSemaphore } from "./limiter.js";

it("a semaphore lets at most `limit` jobs run at once", async () => {
  const semaphore = createSemaphore(2);
  let active = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 6 }, () =>
      semaphore.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      }),
    ),
  );
  expect(peak).toBe(2);
});

it("limits the requests of one service in flight for one account, through the real SDK", async () => {
  const scenario = parseScenario({
    name: "limiter",
    latency: { ms: 200 },
    accounts: [{ id: "123456789012", name: "one" }],
  });
  await withEmulator(scenario, async (emulator) => {
    const clients = createLimitedClients(
      {
        credentials: emulator.credentialsFor("123456789012"),
        region: "us-east-1",
        endpoint: emulator.endpoint,
      },
      2,
    );
    try {
      const sts = clients.get("sts");
      expect(clients.get("sts")).toBe(sts);
      const started = Date.now();
      await Promise.all(Array.from({ length: 6 }, () => sts.send(new GetCallerIdentityCommand({}))));
      // 6 calls of 200 ms, 2 at a time: at least 3 rounds.
      expect(Date.now() - started).toBeGreaterThanOrEqual(580);
      expect(emulator.callLog.filter((c) => c.operation === "GetCallerIdentity")).toHaveLength(6);
    } finally {
      clients.destroy();
    }
  });
});
