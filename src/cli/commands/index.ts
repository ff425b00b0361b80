import type { Command } from "../io.js";

/** Every command, in the order `mfawatch --help` lists them. */
export const commands: Command[] = [];
