import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runChecks } from "../../engine/runChecks.js";
import type { Sections } from "../../snapshot/types.js";
import type { AnyCheck, CheckOptions, ResultStatus } from "../types.js";
import { caseSnapshot } from "./snapshot.js";

/**
 * One table-driven case: `cases/<name>.json` beside the check.
 * - `sections`: the snapshot sections the check reads (credential report rows may give only the
 *   cells that matter; the rest default to "nothing here"); sections not given are errors.
 * - `expect`: exactly the results the check must produce, in any order. `message` and each
 *   `evidence` entry, when given, must be contained in the result.
 */
export interface CheckCase {
  description: string;
  collectedAt?: string;
  options?: Partial<CheckOptions>;
  sections: Partial<Sections>;
  expect: {
    resource: string;
    status: ResultStatus;
    message?: string;
    evidence?: Record<string, unknown>;
  }[];
}

export function loadCases(dir: string): { file: string; case: CheckCase }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, case: JSON.parse(readFileSync(join(dir, file), "utf8")) as CheckCase }));
}

/**
 * Runs a check's cases through the engine (so missing sections give `unknown` as in real runs),
 * and demands that the cases include at least one pass, one fail and one unknown.
 */
export function describeCases(check: AnyCheck, testFileUrl: string): void {
  const dir = join(dirname(fileURLToPath(testFileUrl)), "cases");
  const cases = loadCases(dir);

  describe(`${check.id} cases`, () => {
    it("covers pass, fail and unknown", () => {
      const statuses = new Set(cases.flatMap((c) => c.case.expect.map((e) => e.status)));
      expect([...statuses]).toEqual(expect.arrayContaining(["pass", "fail", "unknown"]));
    });

    for (const { file, case: c } of cases) {
      it(`${file}: ${c.description}`, () => {
        const results = runChecks(caseSnapshot(c.sections, c.collectedAt), [check], { options: c.options });
        const actual = results.map((r) => `${r.status} ${r.resource}`).sort();
        const wanted = c.expect.map((e) => `${e.status} ${e.resource}`).sort();
        expect(actual, JSON.stringify(results, null, 2)).toEqual(wanted);
        for (const e of c.expect) {
          const result = results.find((r) => r.resource === e.resource && r.status === e.status);
          if (e.message) expect(result?.message).toContain(e.message);
          if (e.evidence) expect(result?.evidence).toMatchObject(e.evidence);
        }
      });
    }
  });
}
