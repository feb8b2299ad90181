/**
 * `<out>/advise-progress.json`, format version 1: what an advise run has measured so far,
 * rewritten after every build so that an interrupted run keeps it and `--resume <run-id>`
 * continues from it (advise.json, the results, is written once at the end from the same data).
 * The JSON Schema is `advise-progress.schema.json` beside this file.
 *
 * Conventions as advise-format.ts. It holds the view output advise compares (digests of the
 * rows, reduce answers), so it can be larger than advise.json.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { AdvisedVariant } from "./advise-format.js";
import { writeDurably } from "./results-store.js";

export const ADVISE_PROGRESS_FORMAT = "couchbench-advise-progress";
export const ADVISE_PROGRESS_FORMAT_VERSION = 1;

export interface AdviseProgressFile {
  format: typeof ADVISE_PROGRESS_FORMAT;
  formatVersion: typeof ADVISE_PROGRESS_FORMAT_VERSION;
  runId: string;
  /** `running` while measuring (or killed), `interrupted` after Ctrl-C, `completed` once advise.json is written. */
  status: "running" | "interrupted" | "completed";
  updatedAt: string;
  /** The options a resumed run must repeat (design doc, its views' hash, dataset, sizes, servers, target). */
  options: Record<string, unknown>;
  /** Every variant's builds so far, by result id (variant ids, `combined`, `combined-baseline`). */
  results: Record<string, AdvisedVariant>;
  /** The view output read after a variant's first build, by variant id (and `original#2`, `combined`). */
  outputs: Record<string, StoredViewOutput>;
  /** Times of the full reads of the views emit-null changes, by variant id. */
  reads: Record<string, number[]>;
}

/** A variant's view output as advise compares it (bench/view-output.ts's ViewOutput and the definition checks). */
export interface StoredViewOutput {
  digest: string;
  parts: Record<string, string>;
  rowsByView: Record<string, number>;
  reductions: Record<string, unknown>;
  definitionProblems: string[];
}

/** The progress file: one writer, saves queued, each one whole on disk (temporary file, fsync, rename). */
export class AdviseProgressStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly progress: AdviseProgressFile,
  ) {}

  static async create(path: string, runId: string, options: Record<string, unknown>): Promise<AdviseProgressStore> {
    const store = new AdviseProgressStore(path, {
      format: ADVISE_PROGRESS_FORMAT,
      formatVersion: ADVISE_PROGRESS_FORMAT_VERSION,
      runId,
      status: "running",
      updatedAt: new Date().toISOString(),
      options,
      results: {},
      outputs: {},
      reads: {},
    });
    await mkdir(dirname(path), { recursive: true });
    await store.save();
    return store;
  }

  /** The file as an interrupted run left it; undefined when there is none or it is not one. */
  static async resume(path: string): Promise<AdviseProgressStore | undefined> {
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) return undefined;
    const progress = JSON.parse(text) as AdviseProgressFile;
    if (progress.format !== ADVISE_PROGRESS_FORMAT || progress.formatVersion !== ADVISE_PROGRESS_FORMAT_VERSION)
      return undefined;
    // Marked running again by its first new measurement: until then it is as the run left it.
    return new AdviseProgressStore(path, progress);
  }

  get snapshot(): Readonly<AdviseProgressFile> {
    return this.progress;
  }

  saveResult(id: string, result: AdvisedVariant): Promise<void> {
    this.progress.results[id] = structuredClone(result);
    return this.save("running");
  }

  saveOutput(id: string, output: StoredViewOutput): Promise<void> {
    this.progress.outputs[id] = output;
    return this.save("running");
  }

  saveReads(id: string, reads: readonly number[]): Promise<void> {
    this.progress.reads[id] = [...reads];
    return this.save("running");
  }

  finish(status: AdviseProgressFile["status"]): Promise<void> {
    return this.save(status);
  }

  private save(status: AdviseProgressFile["status"] = this.progress.status): Promise<void> {
    this.progress.status = status;
    this.progress.updatedAt = new Date().toISOString();
    const text = `${JSON.stringify(this.progress)}\n`;
    const saved = this.writing.catch(() => undefined).then(() => writeDurably(this.path, text));
    this.writing = saved;
    return saved;
  }
}
