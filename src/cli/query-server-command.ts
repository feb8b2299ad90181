import type { Command } from "commander";
import { serveQueryProtocol } from "../queryserver/server.js";
import { ExitError } from "../core/errors.js";

/**
 * `couchbench query-server`: the same server as the standalone bundle dist/query-server.js,
 * speaking CouchDB's line protocol on stdin/stdout until end of input.
 */
export function registerQueryServerCommand(program: Command): void {
  program
    .command("query-server")
    .summary("run the TypeScript query server on stdin/stdout")
    .description(
      "Serve CouchDB's query-server protocol on stdin/stdout (register it with COUCHDB_QUERY_SERVER_<LANG>; see src/queryserver/README.md).",
    )
    .option(
      "--watchdog",
      "cut off user code that runs past the reset timeout itself (CouchDB already kills a query server that times out; this costs a 10 MB thread)",
    )
    .action((options: { watchdog?: boolean }) => {
      const exitCode = serveQueryProtocol({ watchdog: options.watchdog === true });
      // 255 after a fatal protocol error, like CouchDB's own couchjs.
      if (exitCode !== 0) throw new ExitError(exitCode);
    });
}
