import { FATAL_EXIT } from "./abort.js";
import { OutputClosed, StdioPort } from "./line-port.js";
import { QueryServer } from "./query-server.js";
import { startWatchdog, untimed } from "./sandbox/watchdog.js";

export interface ServeOptions {
  /** Cut off user code that runs past the reset timeout (see sandbox/watchdog.ts); off by default. */
  watchdog: boolean;
}

/** The command line of the standalone server: `--watchdog`, or nothing. */
export const WATCHDOG_FLAG = "--watchdog";

/**
 * Serves the protocol on stdin/stdout until end of input or a fatal error; returns the exit
 * status (0 at EOF, 255 after a fatal error like the reference). Runs synchronously: user code
 * and the list protocol's getRow() block on stdin anyway. The one place that writes to stderr:
 * a failure that is neither end of input nor a closed stdout (a bug, an unreadable stdin) is
 * reported there and ends the process with 255, after the error reply when one could be sent.
 */
export function serveQueryProtocol(options: ServeOptions): number {
  const guard = options.watchdog ? startWatchdog() : untimed;
  const port = new StdioPort(0, 1, guard.exclusiveOutput);
  const server = new QueryServer(guard);
  try {
    for (;;) {
      const exitCode = serveLine(server, port);
      if (exitCode !== undefined) return exitCode;
    }
  } catch (error) {
    // EPIPE on stdout: CouchDB is gone, nobody is left to answer.
    if (error instanceof OutputClosed) return 0;
    process.stderr.write(`couchbench query server: ${(error as Error)?.stack ?? String(error)}\n`);
    return FATAL_EXIT;
  }
}

/** One line in its own frame, so nothing keeps it alive once answered (it may be 64 MiB). */
function serveLine(server: QueryServer, port: StdioPort): number | undefined {
  const line = port.receive();
  return line === null ? 0 : server.handle(line, port);
}
