import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { type AnyCheck, defineCheck } from "../checks/types.js";
import { renderChecksMarkdown } from "./checksMarkdown.js";

const base = {
  risk: "Anyone with the password gets in.",
  remediation: {
    console: "IAM → Users → Assign MFA device",
    cli: "aws iam enable-mfa-device --user-name <user>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
  },
  evaluate: () => [],
};

const rootCheck: AnyCheck = defineCheck({
  ...base,
  id: "root-thing",
  title: "Root | has MFA",
  severity: "critical",
  requires: ["accountSummary", "credentialReport"],
  optional: ["virtualMfaDevices"],
  references: { cis: ["1.5"], awsConfig: ["root-account-mfa-enabled"], securityHub: ["IAM.9"] },
});

const lowCheck: AnyCheck = defineCheck({
  ...base,
  id: "a-low-thing",
  title: "A low thing",
  severity: "low",
  requires: [],
  references: {},
});

describe("renderChecksMarkdown", () => {
  const markdown = renderChecksMarkdown([lowCheck, rootCheck]);

  it("starts with a table of every check, most severe first", () => {
    const rows = markdown.split("\n").filter((line) => line.startsWith("| ["));
    expect(rows).toEqual([
      "| [root-thing](#root-thing) | critical | Root \\| has MFA | `accountSummary`, `credentialReport` |",
      "| [a-low-thing](#a-low-thing) | low | A low thing | none |",
    ]);
  });

  it("gives each check a section with risk, remediation, references and sections", () => {
    const section = markdown.slice(markdown.indexOf("## root-thing"), markdown.indexOf("## a-low-thing"));
    expect(section).toContain(
      "Requires: `accountSummary`, `credentialReport`. Optional: `virtualMfaDevices`.",
    );
    expect(section).toContain("### Risk\n\nAnyone with the password gets in.");
    expect(section).toContain("- Console: IAM → Users → Assign MFA device");
    expect(section).toContain("  aws iam enable-mfa-device --user-name <user>");
    expect(section).toContain(
      "<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html>",
    );
    expect(section).toContain("- CIS AWS Foundations Benchmark v3.0: 1.5");
    expect(section).toContain(
      "[`root-account-mfa-enabled`](https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html)",
    );
    expect(section).toContain(
      "[IAM.9](https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9)",
    );
    expect(markdown.slice(markdown.indexOf("## a-low-thing"))).toContain("None: no benchmark");
  });

  it("does not depend on the registry's order", () => {
    expect(renderChecksMarkdown([rootCheck, lowCheck])).toBe(markdown);
  });
});

describe("docs/CHECKS.md", () => {
  it("is the rendered registry", () => {
    const file = fileURLToPath(new URL("../../docs/CHECKS.md", import.meta.url));
    let written = "";
    try {
      written = readFileSync(file, "utf8");
    } catch {
      // A missing file is reported by the comparison below.
    }
    expect(
      written === renderChecksMarkdown(checks),
      "docs/CHECKS.md is out of date with the checks' metadata: run `npm run docs` and commit the result.",
    ).toBe(true);
  });
});
