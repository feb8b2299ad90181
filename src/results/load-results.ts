/**
 * Reading results files for `report` and `compare`: the one place that turns a path into a
 * `ResultsFile` or a one-line `UsageError` saying what is wrong and what to do.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, type ResultsFile } from "./results-format.js";

const HINT = "pass a results.json written by `couchbench run`";

export async function readResultsFiles(paths: readonly string[]): Promise<ResultsFile[]> {
  return Promise.all(paths.map(readResultsFile));
}

export async function readResultsFile(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code;
    throw new UsageError(`cannot read results file ${path}: ${why ?? "unreadable"} — ${HINT}`);
  }
  return parseResultsFile(text, path);
}

/** Checks the envelope only: the format is versioned, so a matching version means matching shape. */
export function parseResultsFile(text: string, name: string): ResultsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not JSON (${(error as Error).message}) — ${HINT}`);
  }
  const file = value as Partial<ResultsFile> | null;
  if (typeof file !== "object" || file === null || file.format !== RESULTS_FORMAT) {
    const found = typeof file === "object" && file !== null ? JSON.stringify(file.format) : "none";
    throw new UsageError(
      `${name} is not a couchbench results file (format ${found}, expected "${RESULTS_FORMAT}") — ${HINT}`,
    );
  }
  if (file.formatVersion !== RESULTS_FORMAT_VERSION) {
    throw new UsageError(
      `${name} has formatVersion ${JSON.stringify(file.formatVersion)}, this couchbench reads ${RESULTS_FORMAT_VERSION} — use the couchbench version that wrote it, or rerun the benchmark`,
    );
  }
  for (const field of ["measurements", "targets", "notes"] as const) {
    if (!Array.isArray(file[field])) {
      throw new UsageError(`${name}: "${field}" is not a list; the file is damaged — ${HINT}`);
    }
  }
  if (typeof file.environment !== "object" || file.environment === null) {
    throw new UsageError(`${name}: "environment" is missing; the file is damaged — ${HINT}`);
  }
  return file as ResultsFile;
}
