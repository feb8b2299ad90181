import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../bench/package-info.js";

/** `../shared` beside the repository (CI lays a copy there), or COUCHBENCH_SHARED_DIR. */
export const sharedDir: string = process.env.COUCHBENCH_SHARED_DIR ?? fileURLToPath(new URL("../../../shared/", import.meta.url));

export const cliEntry: string = fileURLToPath(new URL("../cli/main.js", import.meta.url));

export { packageRoot };

export function sharedAvailable(): boolean {
  return existsSync(sharedDir);
}
