import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  INGEST_FORMAT,
  INGEST_FORMAT_VERSION,
  type IngestKnee,
  type IngestResults,
  type IngestStep,
  type IngestTarget,
} from "./ingest-format.js";
import type { RunNote } from "./results-format.js";
import { SnapshotFile } from "./results-store.js";

export function ingestResultsPath(outDir: string, runId: string): string {
  return join(outDir, runId, "ingest.json");
}

/**
 * The ingest results file, rewritten (durably, one queued writer) after every step, like
 * ResultsStore: a run killed at any moment leaves a valid file with every finished step.
 */
export class IngestStore {
  private readonly file: SnapshotFile;

  private constructor(
    readonly path: string,
    private readonly results: IngestResults,
  ) {
    this.file = new SnapshotFile(path);
  }

  static async create(
    path: string,
    initial: Pick<IngestResults, "runId" | "plan" | "environment">,
  ): Promise<IngestStore> {
    const now = new Date().toISOString();
    const store = new IngestStore(path, {
      format: INGEST_FORMAT,
      formatVersion: INGEST_FORMAT_VERSION,
      ...initial,
      status: "running",
      createdAt: now,
      updatedAt: now,
      targets: [],
      steps: [],
      knees: [],
      notes: [],
    });
    await mkdir(dirname(path), { recursive: true });
    await store.save();
    return store;
  }

  /** Continues an interrupted run: its steps are kept and not measured again. */
  static async resume(path: string): Promise<IngestStore> {
    const results = JSON.parse(await readFile(path, "utf8")) as IngestResults;
    if (results.format !== INGEST_FORMAT) throw new Error(`${path} is not a couchbench ingest results file`);
    // A version 1 file reads as version 2 (it only lacks the `--config` fields); what is written from now on is 2.
    const store = new IngestStore(path, { ...results, formatVersion: INGEST_FORMAT_VERSION, status: "running" });
    await store.save();
    return store;
  }

  get snapshot(): Readonly<IngestResults> {
    return this.results;
  }

  /** A step with this key was measured (an errored one is measured again). */
  has(key: string): boolean {
    return this.results.steps.some((step) => step.key === key && step.outcome !== "errored");
  }

  /** Adds or replaces the target with this id. */
  async setTarget(target: IngestTarget): Promise<void> {
    this.results.targets = [...this.results.targets.filter((known) => known.id !== target.id), target];
    await this.save();
  }

  /** Changes fields of a target already set (its `--config` restore record, the settings in force…). */
  async updateTarget(id: string, change: (target: IngestTarget) => IngestTarget): Promise<void> {
    const known = this.results.targets.find((target) => target.id === id);
    if (known) await this.setTarget(change(known));
  }

  async addStep(step: IngestStep, knees: IngestKnee[]): Promise<void> {
    this.results.steps = [...this.results.steps.filter((known) => known.key !== step.key), step];
    this.results.knees = knees;
    await this.save();
  }

  async addNote(note: Omit<RunNote, "at">): Promise<void> {
    this.results.notes.push({ at: new Date().toISOString(), ...note });
    await this.save();
  }

  async finish(status: IngestResults["status"]): Promise<void> {
    this.results.status = status;
    await this.save();
  }

  private save(): Promise<void> {
    return this.file.save(this.results);
  }
}
