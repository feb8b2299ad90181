/**
 * Reading the files of one results kind (ingest.json, advise.json) for `report` and `compare`:
 * whether the files are of that kind, judged by the first file's `format`, and the one-line
 * `UsageError` when they cannot be read or mix kinds. Build results (results.json) are the
 * fallback every other kind is told from; load-results.ts reads them.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";

export interface ResultsKind {
  /** `format` in the file, e.g. `couchbench-ingest`. */
  format: string;
  /** The version this couchbench writes. */
  formatVersion: number;
  /** Older versions it still reads (a reader upgrades them); the written one is always read. */
  olderVersionsRead?: readonly number[];
  /** `ingest`, `advise`: the kind's name in messages. */
  name: string;
  /** What to pass instead, e.g. "pass ingest.json files written by `couchbench ingest`". */
  hint: string;
  /** Fields that must be lists, else the file is damaged. */
  lists: readonly string[];
}

/**
 * The files as results of `kind` when the first one is; undefined when it is not, or cannot be
 * read (load-results.ts then reads them as build results and says what is wrong).
 */
export async function readFilesOfKind<T>(paths: readonly string[], kind: ResultsKind): Promise<T[] | undefined> {
  const parsed = await Promise.all(paths.map(async (path) => ({ path, value: await peek(path) })));
  const isKind = parsed.map(({ value }) => (value as { format?: unknown } | undefined)?.format === kind.format);
  if (!isKind[0]) {
    const stray = parsed.find((_, i) => isKind[i]);
    if (stray)
      throw new UsageError(
        `${stray.path} holds ${kind.name} results and ${paths[0]} does not — give files of one kind (${kind.hint})`,
      );
    return undefined;
  }
  return parsed.map(({ path, value }, i) => {
    if (value === undefined) throw new UsageError(`cannot read ${path} as JSON — ${kind.hint}`);
    if (!isKind[i]) throw new UsageError(`${path} is not an ${kind.name} results file — ${kind.hint}`);
    const file = value as Record<string, unknown>;
    const read = [...(kind.olderVersionsRead ?? []), kind.formatVersion];
    if (!read.includes(file.formatVersion as number))
      throw new UsageError(
        `${path} has ${kind.name} formatVersion ${JSON.stringify(file.formatVersion)}, this couchbench reads ${read.join(" and ")} (writes ${kind.formatVersion}) — use the couchbench version that wrote it`,
      );
    const notList = kind.lists.find((field) => !Array.isArray(file[field]));
    if (notList) throw new UsageError(`${path}: "${notList}" is not a list; the file is damaged — ${kind.hint}`);
    return file as T;
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
