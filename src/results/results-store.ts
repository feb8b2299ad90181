import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  RESULTS_FORMAT,
  RESULTS_FORMAT_VERSION,
  type Measurement,
  type ResultsFile,
  type RunNote,
  type TargetInfo,
} from "./results-format.js";

export function resultsPath(outDir: string, runId: string): string {
  return join(outDir, runId, "results.json");
}

/**
 * The results file, rewritten after every change: a run killed or interrupted at any moment
 * leaves a valid file holding every finished measurement. One writer at a time (saves are
 * queued, so an interrupt's `finish` never races a measurement's save), each write to a
 * temporary name of its own, flushed to disk before the rename.
 */
export class ResultsStore {
  private readonly file: SnapshotFile;

  private constructor(
    readonly path: string,
    private readonly results: ResultsFile,
  ) {
    this.file = new SnapshotFile(path);
  }

  static async create(
    path: string,
    initial: Omit<
      ResultsFile,
      "format" | "formatVersion" | "createdAt" | "updatedAt" | "status" | "measurements" | "targets" | "notes"
    >,
  ): Promise<ResultsStore> {
    const now = new Date().toISOString();
    const store = new ResultsStore(path, {
      format: RESULTS_FORMAT,
      formatVersion: RESULTS_FORMAT_VERSION,
      ...initial,
      status: "running",
      createdAt: now,
      updatedAt: now,
      targets: [],
      measurements: [],
      notes: [],
    });
    await mkdir(dirname(path), { recursive: true });
    await store.save();
    return store;
  }

  /** Continues an interrupted run: its measurements are kept and not measured again. */
  static async resume(path: string): Promise<ResultsStore> {
    const results = JSON.parse(await readFile(path, "utf8")) as ResultsFile;
    const store = new ResultsStore(path, { ...results, status: "running" });
    await store.save();
    return store;
  }

  get snapshot(): Readonly<ResultsFile> {
    return this.results;
  }

  has(key: string): boolean {
    return this.results.measurements.some((measurement) => measurement.key === key && measurement.status !== "errored");
  }

  async setTarget(target: TargetInfo): Promise<void> {
    this.results.targets = [...this.results.targets.filter((known) => known.id !== target.id), target];
    await this.save();
  }

  async addMeasurement(measurement: Measurement): Promise<void> {
    this.results.measurements = [
      ...this.results.measurements.filter((known) => known.key !== measurement.key),
      measurement,
    ];
    await this.save();
  }

  async updateMeasurement(key: string, patch: Partial<Measurement>): Promise<void> {
    this.results.measurements = this.results.measurements.map((known) =>
      known.key === key ? { ...known, ...patch } : known,
    );
    await this.save();
  }

  async addNote(note: Omit<RunNote, "at">): Promise<void> {
    this.results.notes.push({ at: new Date().toISOString(), ...note });
    await this.save();
  }

  async finish(status: ResultsFile["status"]): Promise<void> {
    this.results.status = status;
    await this.save();
  }

  /** Queues a snapshot of the results as they are now; resolves once that snapshot is on disk. */
  private save(): Promise<void> {
    return this.file.save(this.results);
  }
}

/**
 * A JSON file rewritten whole, one writer at a time: each `save` queues a snapshot (with a fresh
 * `updatedAt`) behind the previous one and resolves once it is durably on disk.
 */
export class SnapshotFile {
  /** The save in progress (or the last one); the next save starts after it settles. */
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  save(value: { updatedAt: string }): Promise<void> {
    value.updatedAt = new Date().toISOString();
    const text = JSON.stringify(value, null, 2) + "\n";
    const saved = this.writing.catch(() => undefined).then(() => writeDurably(this.path, text));
    this.writing = saved;
    return saved;
  }
}

/** Temporary file of this write only, fsync, rename: the path always holds one whole snapshot. */
export async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    const file = await open(temporary, "wx");
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
