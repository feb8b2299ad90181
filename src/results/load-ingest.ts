/**
 * Reading ingest results files for `report` and `compare`: which files are ingest results, and
 * the one-line `UsageError` when they cannot be read or mix with build results.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";
import { INGEST_FORMAT, INGEST_FORMAT_VERSION, type IngestResults } from "./ingest-format.js";

/** The files as ingest results when the first one is; undefined when it is not (a `run` results file). */
export async function readIngestFiles(paths: readonly string[]): Promise<IngestResults[] | undefined> {
  const parsed = await Promise.all(paths.map(async (path) => ({ path, value: await readJson(path) })));
  const isIngest = parsed.map(({ value }) => (value as { format?: unknown } | null)?.format === INGEST_FORMAT);
  if (!isIngest[0]) {
    const stray = parsed.find((_, i) => isIngest[i]);
    if (stray)
      throw new UsageError(`${stray.path} holds ingest results; the others are build results — give files of one kind`);
    return undefined;
  }
  return parsed.map(({ path, value }, i) => {
    if (!isIngest[i])
      throw new UsageError(
        `${path} is not an ingest results file — give ingest.json files written by couchbench ingest`,
      );
    const file = value as IngestResults;
    if (file.formatVersion !== INGEST_FORMAT_VERSION)
      throw new UsageError(
        `${path} has ingest formatVersion ${JSON.stringify(file.formatVersion)}, this couchbench reads ${INGEST_FORMAT_VERSION} — use the couchbench version that wrote it`,
      );
    if (!Array.isArray(file.steps) || !Array.isArray(file.knees) || !Array.isArray(file.targets))
      throw new UsageError(`${path}: "steps", "knees" or "targets" is not a list; the file is damaged`);
    return file;
  });
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read results file ${path}: ${code === "ENOENT" ? "no such file" : (code ?? "unreadable")}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path} is not JSON (${(error as Error).message}) — pass a results file written by couchbench`,
    );
  }
}
