// Entry point of the standalone bundle (dist/query-server.js): serve stdin/stdout, then exit.
import { serveQueryProtocol, WATCHDOG_FLAG } from "./server.js";

const args = process.argv.slice(2);
const unknown = args.find((arg) => arg !== WATCHDOG_FLAG);
if (unknown !== undefined) {
  // Exit status 64 (EX_USAGE): CouchDB logs it with the command it ran.
  process.stderr.write(
    `couchbench query server: unknown argument '${unknown}'; the only option is ${WATCHDOG_FLAG} (see src/queryserver/README.md)\n`,
  );
  process.exit(64);
}
process.exit(serveQueryProtocol({ watchdog: args.includes(WATCHDOG_FLAG) }));
