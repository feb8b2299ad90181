// Entry point of the standalone bundle (dist/query-server.js): serve stdin/stdout, then exit.
import { serveQueryProtocol } from "./server.js";

process.exit(serveQueryProtocol());
