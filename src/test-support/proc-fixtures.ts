import { join } from "node:path";
import { packageRoot } from "./paths.js";

/** Two /proc snapshots around a build with a killed query server (see the README there). */
export const PROC_FIXTURES = join(packageRoot, "src", "couch", "targets", "fixtures", "proc");

/** /proc/net/tcp and tcp6 of the test machine with CouchDB listening (see the README there). */
export const PROC_NET_FIXTURES = join(packageRoot, "src", "couch", "targets", "fixtures", "proc-net");
