/**
 * The only errors the entry point turns into a one-line message. Anything else that
 * escapes is a bug and is reported as such (with a hint to rerun with COUCHBENCH_DEBUG=1).
 */

/** Bad command-line input: names the option and the fix. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** An expected failure of the environment (CouchDB unreachable, no Docker, ...). Exit code 1. */
export class FailureError extends Error {
  readonly exitCode = 1;
}

/** Ends the process with a code after the command has already said everything it had to say. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/**
 * What a command's failure becomes: a UsageError or FailureError as it is, anything else a FailureError with `context`.
 */
export function asFailure(error: unknown, context: string): UsageError | FailureError {
  return error instanceof UsageError || error instanceof FailureError
    ? error
    : new FailureError(`${(error as Error).message ?? String(error)} (${context})`);
}
