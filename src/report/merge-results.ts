/**
 * `couchbench merge`: results files of one plan, measured on several CouchDB versions by
 * separate jobs (a CI matrix), as one file that `report` and `compare` read like one run.
 *
 * It refuses what would make that file lie: different plans (the points would not be the same
 * work), the same CouchDB version twice (points would collide), and — unless told that only
 * relative figures will be read — different machines, whose raw build times are not comparable
 * across files (`compare --relative-to` divides within each file's own runs, so it still is).
 */
import type { HostEnvironment, PlanSummary, ResultsFile, RunNote } from "../results/results-format.js";
import { UsageError } from "../core/errors.js";

export interface MergeOptions {
  /** Accept files from different machines (each job of a matrix runs on its own runner). */
  acrossMachines?: boolean;
  runId?: string;
}

/** Plan fields that must agree: what was measured, not how many builds it came to. */
const PLAN_FIELDS = [
  "servers",
  "datasets",
  "sizes",
  "maxSizeByDataset",
  "shards",
  "repeat",
  "repeatPolicy",
  "seed",
  "identicalDocs",
  "designDoc",
  "batchSize",
  "targetKind",
  "config",
] as const satisfies readonly (keyof PlanSummary)[];
const MACHINE_FIELDS = [
  "cpuModel",
  "cpuCores",
  "memoryBytes",
  "hostname",
] as const satisfies readonly (keyof HostEnvironment)[];
const STATUS_RANK: Record<ResultsFile["status"], number> = { completed: 0, interrupted: 1, running: 2, failed: 3 };

export function mergeResults(files: readonly ResultsFile[], options: MergeOptions = {}): ResultsFile {
  if (files.length < 2)
    throw new UsageError(
      "merge needs two or more results files — e.g. couchbench merge a/results.json b/results.json -o merged.json",
    );
  const [first, ...rest] = files as [ResultsFile, ...ResultsFile[]];
  for (const file of rest) {
    const plan = PLAN_FIELDS.filter((field) => JSON.stringify(file.plan[field]) !== JSON.stringify(first.plan[field]));
    if (plan.length > 0) {
      throw new UsageError(
        `cannot merge ${file.runId} with ${first.runId}: their plans differ in ${plan.join(", ")} — run every job with the same options (only the CouchDB version may differ)`,
      );
    }
    const machine = MACHINE_FIELDS.filter((field) => file.environment[field] !== first.environment[field]);
    if (machine.length > 0 && !options.acrossMachines) {
      const detail = machine
        .map((field) => `${field} ${first.environment[field]} vs ${file.environment[field]}`)
        .join(", ");
      throw new UsageError(
        `cannot merge ${file.runId} with ${first.runId}: measured on different machines (${detail}), so their build times are not comparable — pass --across-machines if you will only compare relative to a server of the same run (compare --relative-to javascript)`,
      );
    }
  }
  assertDistinctVersions(files);
  const notes: RunNote[] = files.map((file) => ({
    at: file.updatedAt,
    level: "info",
    message: `merged from run ${file.runId} (${file.status}; CouchDB ${file.targets.map((t) => t.couchdbVersion).join(", ") || "none"}) on ${file.environment.hostname}, ${file.environment.cpuCores} × ${file.environment.cpuModel}`,
  }));
  return {
    ...first,
    runId: options.runId ?? files.map((file) => file.runId).join("+"),
    status: files
      .map((file) => file.status)
      .reduce((worst, status) => (STATUS_RANK[status] > STATUS_RANK[worst] ? status : worst)),
    createdAt: files.map((file) => file.createdAt).sort()[0]!,
    updatedAt: files
      .map((file) => file.updatedAt)
      .sort()
      .at(-1)!,
    plan: { ...first.plan, plannedMeasurements: files.reduce((n, file) => n + file.plan.plannedMeasurements, 0) },
    targets: files.flatMap((file) => file.targets),
    measurements: files.flatMap((file) => file.measurements),
    notes: [...notes, ...files.flatMap((file) => file.notes)],
  };
}

/** Points are keyed by CouchDB version: two files measuring one version would mix their repeats. */
function assertDistinctVersions(files: readonly ResultsFile[]): void {
  const owner = new Map<string, string>();
  for (const file of files) {
    for (const version of new Set(file.targets.map((t) => t.couchdbVersion))) {
      const other = owner.get(version);
      if (other)
        throw new UsageError(
          `cannot merge ${file.runId} with ${other}: both measured CouchDB ${version} — merge one file per CouchDB version`,
        );
      owner.set(version, file.runId);
    }
  }
}
