/**
 * Typed errors at the edge and the one map from outcome to exit code.
 *
 * 0  success: nothing failed at or above the threshold
 * 1  failing findings at or above `--fail-on`
 * 2  usage or configuration error (wrong flag, malformed config, corrupt snapshot)
 * 3  incomplete: some data could not be read (unknown results, section errors), nothing else failed
 * 4  the job could not run (no credentials, AWS or the emulator unreachable, a file that cannot be written)
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  incomplete: 3,
  failure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is written to stderr as it is, followed by exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A wrong flag, a missing argument, a malformed configuration or snapshot: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

/** The job could not run at all: exit 4. */
export class FailureError extends CliError {
  constructor(message: string) {
    super(message, EXIT.failure);
    this.name = "FailureError";
  }
}
