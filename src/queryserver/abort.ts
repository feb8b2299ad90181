/**
 * How a command ends other than with its normal reply: an error line (the process goes on),
 * an error line and exit (fatal, PROTOCOL.md §10), or a silent exit (stdin closed mid-list).
 */
export class Abort extends Error {
  constructor(
    /** The line to send, or null for none. */
    readonly line: string | null,
    /** Exit status after sending, or null to keep serving. */
    readonly exitCode: number | null,
  ) {
    super(line ?? "exit");
  }
}

/** The reference exits with status 255 (`quit(-1)`) after a fatal error. */
export const FATAL_EXIT = 255;

export function errorReply(type: string, reason: unknown, fatal = false): Abort {
  return new Abort(JSON.stringify(["error", type, reason]), fatal ? FATAL_EXIT : null);
}

/** Marker characters of sandbox replies (see runtime/core.ts). */
const ERROR = 0;
const FATAL = 1;
const EOF = 2;

/** Returns a sandbox's normal reply line, or throws the Abort its marker stands for. */
export function checked(reply: string): string {
  switch (reply.charCodeAt(0)) {
    case ERROR:
      throw new Abort(reply.slice(1), null);
    case FATAL:
      throw new Abort(reply.slice(1), FATAL_EXIT);
    case EOF:
      throw new Abort(null, 0);
    default:
      return reply;
  }
}
