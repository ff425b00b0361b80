/** Writes docs/CHECKS.md from the registry: `npm run docs` (after a build, `node dist/report/writeChecksDoc.js`). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checks } from "../checks/index.js";
import { renderChecksMarkdown } from "./checksMarkdown.js";

const file = fileURLToPath(new URL("../../docs/CHECKS.md", import.meta.url));
writeFileSync(file, renderChecksMarkdown(checks));
process.stdout.write(`wrote ${file} (${checks.length} checks)\n`);
