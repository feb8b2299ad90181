/**
 * Reading ingest results files for `report` and `compare`: which files are ingest results, and
 * the one-line `UsageError` when they cannot be read or mix with build results.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";
import {
  INGEST_FORMAT,
  INGEST_FORMAT_VERSION,
  INGEST_FORMAT_VERSIONS_READ,
  type IngestResults,
} from "./ingest-format.js";

const HINT = "pass ingest.json files written by `couchbench ingest`";

/**
 * The files as ingest results when the first one is; undefined when it is not, or cannot be read
 * (load-results.ts then reads them as build results and says what is wrong).
 */
export async function readIngestFiles(paths: readonly string[]): Promise<IngestResults[] | undefined> {
  const parsed = await Promise.all(paths.map(async (path) => ({ path, value: await peek(path) })));
  const isIngest = parsed.map(({ value }) => (value as { format?: unknown } | undefined)?.format === INGEST_FORMAT);
  if (!isIngest[0]) {
    const stray = parsed.find((_, i) => isIngest[i]);
    if (stray)
      throw new UsageError(`${stray.path} holds ingest results; the others are build results — give files of one kind`);
    return undefined;
  }
  return parsed.map(({ path, value }, i) => {
    if (value === undefined) throw new UsageError(`cannot read ${path} as JSON — ${HINT}`);
    if (!isIngest[i]) throw new UsageError(`${path} is not an ingest results file — ${HINT}`);
    const file = value as IngestResults;
    if (!INGEST_FORMAT_VERSIONS_READ.includes(file.formatVersion))
      throw new UsageError(
        `${path} has ingest formatVersion ${JSON.stringify(file.formatVersion)}, this couchbench reads ${INGEST_FORMAT_VERSIONS_READ.join(" and ")} (writes ${INGEST_FORMAT_VERSION}) — use the couchbench version that wrote it`,
      );
    if (!Array.isArray(file.steps) || !Array.isArray(file.knees) || !Array.isArray(file.targets))
      throw new UsageError(`${path}: "steps", "knees" or "targets" is not a list; the file is damaged — ${HINT}`);
    return file;
  });
}

/** The file's JSON, or undefined when it cannot be read or parsed. */
async function peek(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
