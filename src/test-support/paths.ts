import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { datasetsDir } from "../core/package-paths.js";

export { packageRoot } from "../core/package-paths.js";

export const cliEntry: string = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/** The two documents of the original benchmark, kept in the repository (datasets/seeds/). */
export const SEED_DOCS = { medium: "medium_size_doc.json", large: "large_size_doc.json" } as const;

export async function readSeedDoc(name: keyof typeof SEED_DOCS): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(datasetsDir, "seeds", SEED_DOCS[name]), "utf8")) as Record<string, unknown>;
}
