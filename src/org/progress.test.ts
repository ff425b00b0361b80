import { describe, expect, it } from "vitest";
import { createProgress, duration, progressBar, progressText } from "./progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, write: (t: string) => writes.push(t), isTTY };
}

describe("progress", () => {
  it("formats counts, elapsed time and an ETA from the pace so far", () => {
    expect(duration(65_000)).toBe("01:05");
    expect(duration(3_725_000)).toBe("1:02:05");
    expect(progressText(25, 100, 2, 30_000)).toBe("25/100 accounts, 2 failed, 00:30 elapsed, ETA 01:30");
    expect(progressText(100, 100, 0, 30_000)).toBe("100/100 accounts, 0 failed, 00:30 elapsed");
    expect(progressBar(12, 24)).toBe(`[${"#".repeat(12)}${"-".repeat(12)}]`);
  });

  it("without a terminal, writes a plain line every 10% of the accounts and one at the end", () => {
    const out = stream(false);
    let now = 0;
    const progress = createProgress(out, { total: 25, prefix: "p: ", now: () => now });
    for (let i = 0; i < 25; i++) {
      now += 1000;
      progress.settled(i === 3);
    }
    progress.finish();
    expect(out.writes.every((w) => w.startsWith("p: ") && w.endsWith("\n") && !w.includes("\r"))).toBe(true);
    expect(out.writes.map((w) => w.split(" accounts")[0])).toEqual([
      "p: 3/25",
      "p: 6/25",
      "p: 9/25",
      "p: 12/25",
      "p: 15/25",
      "p: 18/25",
      "p: 21/25",
      "p: 24/25",
      "p: 25/25",
    ]);
    expect(out.writes.at(-1)).toBe("p: 25/25 accounts, 1 failed, 00:25 elapsed\n");
  });

  it("without a terminal, also writes a line every interval while nothing settles", async () => {
    const out = stream(false);
    const progress = createProgress(out, { total: 1000, prefix: "", intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 70));
    progress.finish();
    const lines = out.writes.length;
    expect(lines).toBeGreaterThanOrEqual(2);
    expect(out.writes[0]).toMatch(/^0\/1000 accounts, 0 failed/);
    await new Promise((r) => setTimeout(r, 50));
    expect(out.writes).toHaveLength(lines);
  });

  it("on a terminal, redraws one line in place at most every 100 ms and ends it with a newline", () => {
    const out = stream(true);
    let now = 0;
    const progress = createProgress(out, { total: 4, prefix: "p: ", now: () => now });
    progress.settled(false);
    now += 50;
    progress.settled(true);
    now += 100;
    progress.settled(false);
    progress.settled(false);
    progress.finish();
    expect(
      out.writes.every((w, i) => (i === out.writes.length - 1 ? w === "\n" : w.startsWith("\rp: ["))),
    ).toBe(true);
    expect(out.writes.map((w) => w.match(/\] (\d)\/4/)?.[1])).toEqual(["0", "3", "4", "4", undefined]);
  });
});
