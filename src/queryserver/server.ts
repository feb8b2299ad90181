import { type LinePort, StdioPort } from "./line-port.js";
import { QueryServer } from "./query-server.js";
import { startWatchdog } from "./sandbox/watchdog.js";

/** CouchDB's default os_process_timeout, until `reset` says otherwise. */
const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Serves the protocol on stdin/stdout until end of input or a fatal error; returns the exit
 * status (0 at EOF, 255 after a fatal error like the reference). Runs synchronously: user code
 * and the list protocol's getRow() block on stdin anyway.
 */
export function serveQueryProtocol(port: LinePort = new StdioPort()): number {
  const server = new QueryServer(startWatchdog(DEFAULT_TIMEOUT_MS));
  for (;;) {
    const line = port.receive();
    if (line === null) return 0;
    let exitCode: number | undefined;
    try {
      exitCode = server.handle(line, port);
    } catch {
      // stdout is closed (EPIPE): CouchDB is gone, nobody is left to answer.
      return 0;
    }
    if (exitCode !== undefined) return exitCode;
  }
}
