#!/usr/bin/env node
import { setMaxListeners } from "node:events";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VERSION } from "../version.js";
import { commands } from "./commands/index.js";
import { CliError, EXIT } from "./errors.js";
import type { CliIo } from "./io.js";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `mfawatch ${VERSION}: MFA and credential posture monitor for AWS\n\nUsage: mfawatch <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'mfawatch <command> --help' for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`mfawatch: unknown command "${name}".\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`mfawatch ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    const err = error as Error;
    io.stderr.write(
      `mfawatch ${name}: unexpected error: ${err.stack ?? err.message}\nPlease report this as a bug.\n`,
    );
    return EXIT.failure;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  // Every in-flight AWS request listens for Ctrl-C on this one signal; hundreds at once are normal.
  setMaxListeners(0, controller.signal);
  process.once("SIGINT", () => {
    process.stderr.write("\nmfawatch: interrupted, finishing up…\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  const code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
  process.exitCode = code;
}
