import { checks } from "../../checks/index.js";
import { renderChecksMarkdown } from "../../report/checksMarkdown.js";
import { checkMetaOf } from "../../scan/report.js";
import { parseCommandArgs } from "../args.js";
import { UsageError } from "../errors.js";
import type { CliIo, Command } from "../io.js";

const FORMATS = ["table", "json", "markdown"] as const;

const usage = `Usage: mfawatch checks [--format table|json|markdown]

Lists every check: id, severity, title and the data it needs.
  --format F   table (default on a terminal), json (default otherwise), markdown (as docs/CHECKS.md)
`;

function table(): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines = checks.map((c) => `${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  ${c.title}`);
  return `${"Check".padEnd(width)}  ${"Severity".padEnd(8)}  Title\n${lines.join("\n")}\n\n${checks.length} checks. 'mfawatch checks --format markdown' shows risk, remediation and references.\n`;
}

export const checksCommand: Command = {
  name: "checks",
  summary: "List the checks mfawatch runs",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs("checks", args, { format: { type: "string", short: "f" } });
    const format = values.format ?? (io.stdout.isTTY ? "table" : "json");
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format takes one of ${FORMATS.join(", ")}, not "${format}".`);
    }
    if (format === "json") {
      const catalogue = checks.map((c) => ({ ...checkMetaOf(c), requires: [...c.requires] }));
      io.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
    } else if (format === "markdown") {
      io.stdout.write(renderChecksMarkdown(checks));
    } else {
      io.stdout.write(table());
    }
    return 0;
  },
};
