import type { Command } from "../io.js";
import { checksCommand } from "./checks.js";
import { collectCommand } from "./collect.js";
import { demoCommand } from "./demo.js";
import { emulatorCommand } from "./emulator.js";
import { evaluateCommand } from "./evaluate.js";
import { fixCommand } from "./fix.js";
import { scanCommand } from "./scan.js";
import { serveCommand } from "./serve.js";

/** Every command, in the order `mfawatch --help` lists them. */
export const commands: Command[] = [
  scanCommand,
  evaluateCommand,
  collectCommand,
  checksCommand,
  fixCommand,
  demoCommand,
  serveCommand,
  emulatorCommand,
];
