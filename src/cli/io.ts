/** What a command may touch of the process, so that tests can run commands in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Where interactive confirmations are read; absent or not a TTY: no one can confirm. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C: long work stops cleanly and reports what finished. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `mfawatch --help`. */
  summary: string;
  /** The command's own `--help` text. */
  usage: string;
  /** Runs the command and returns the exit code; throws CliError for usage errors and failures. */
  run(args: string[], io: CliIo): Promise<number>;
}
