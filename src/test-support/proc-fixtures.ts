import { join } from "node:path";
import { packageRoot } from "./paths.js";

/** Two /proc snapshots around a build with a killed query server (see the README there). */
export const PROC_FIXTURES = join(packageRoot, "src", "couch", "targets", "fixtures", "proc");
