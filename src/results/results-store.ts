import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, type Measurement, type ResultsFile, type RunNote, type TargetInfo } from "./results-format.js";

export function resultsPath(outDir: string, runId: string): string {
  return join(outDir, runId, "results.json");
}

/**
 * The results file, rewritten after every change (write to a temporary file, then rename):
 * a run killed at any moment leaves a valid file holding every finished measurement.
 */
export class ResultsStore {
  private constructor(
    readonly path: string,
    private readonly results: ResultsFile,
  ) {}

  static async create(path: string, initial: Omit<ResultsFile, "format" | "formatVersion" | "createdAt" | "updatedAt" | "status" | "measurements" | "targets" | "notes">): Promise<ResultsStore> {
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
    this.results.measurements = [...this.results.measurements.filter((known) => known.key !== measurement.key), measurement];
    await this.save();
  }

  async updateMeasurement(key: string, patch: Partial<Measurement>): Promise<void> {
    this.results.measurements = this.results.measurements.map((known) => (known.key === key ? { ...known, ...patch } : known));
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

  private async save(): Promise<void> {
    this.results.updatedAt = new Date().toISOString();
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, JSON.stringify(this.results, null, 2) + "\n");
    await rename(temporary, this.path);
  }
}
