/** Exit status of a successful run. */
export const EXIT_OK = 0;
/** Exit status when the command ran but something failed (a check, a delivery, the configuration). */
export const EXIT_FAILURE = 1;
/** Exit status for a command line the tool cannot run: unknown option, missing or bad argument. */
export const EXIT_USAGE = 2;

/**
 * A command line the tool refuses to run. Exits with status 2. Messages name options and rules,
 * never an argument's value: a mistyped secret must not be echoed back to the terminal or a log.
 */
export class CliUsageError extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CliUsageError';
    this.code = code;
  }
}

/** A command that could not do its work (no secret, unreadable file…). Exits with status 1. */
export class CliFailure extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CliFailure';
    this.code = code;
  }
}
