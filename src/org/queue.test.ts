import { expect, it } from "vitest";
import { runQueue } from "./queue.js";

const tick = () => new Promise((r) => setTimeout(r, 1));

it("runs every item with at most `concurrency` in flight", async () => {
  let active = 0;
  let peak = 0;
  const seen: number[] = [];
  const outcome = await runQueue([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    active++;
    peak = Math.max(peak, active);
    await tick();
    seen.push(n);
    active--;
  });
  expect(peak).toBe(3);
  expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(outcome.notStarted).toEqual([]);
});

it("starts nothing new once aborted and returns the items that never started", async () => {
  const controller = new AbortController();
  const outcome = await runQueue(
    ["a", "b", "c", "d"],
    1,
    async (item) => {
      if (item === "b") controller.abort();
      await tick();
    },
    controller.signal,
  );
  expect(outcome.notStarted).toEqual(["c", "d"]);
});
