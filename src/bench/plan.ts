import type { PlanSummary } from "../results/results-format.js";

/** What a run measures, shared with the results file's plan; the rest says how and where. */
type MeasuredPlan = Pick<PlanSummary, "profile" | "targetKind" | "servers" | "datasets" | "sizes" | "maxSizeByDataset" | "shards" | "repeat" | "seed" | "designDoc" | "batchSize">;

/** A validated `couchbench run` configuration: profile defaults with explicit options applied. */
export interface RunConfig extends MeasuredPlan {
  couchdbVersions: string[];
  couchdbBins: string[];
  url?: string;
  identical: boolean;
  loadConcurrency: number;
  /** Fraction of the database added for the incremental-update measurement (0 disables it). */
  updateFraction: number;
  verify: boolean;
  outDir: string;
  runId: string;
  cpus?: number;
  memoryBytes?: number;
  /** Overrides the target kind's DEFAULT_START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  resume: boolean;
}

/** One database: loaded once, then built by every server in every repeat. */
export interface PlanPoint {
  q: number;
  dataset: string;
  docCount: number;
}

export interface BuildStep {
  server: string;
  repeat: number;
  /** 1-based position in this repeat's order. */
  order: number;
}

/** Points in run order: shard count, then dataset, then size ascending (small first gives early feedback). */
export function planPoints(config: Pick<RunConfig, "shards" | "datasets" | "sizes" | "maxSizeByDataset">): PlanPoint[] {
  const sizes = [...new Set(config.sizes)].sort((a, b) => a - b);
  return config.shards.flatMap((q) =>
    config.datasets.flatMap((dataset) =>
      sizes.filter((docCount) => docCount <= (config.maxSizeByDataset[datasetProfileName(dataset)] ?? Infinity)).map((docCount) => ({ q, dataset, docCount })),
    ),
  );
}

/** Repeat r runs the servers rotated by r-1, so none always runs first (warm caches, page cache). */
export function buildSteps(servers: readonly string[], repeat: number): BuildStep[] {
  return Array.from({ length: repeat }, (_, r) => rotation(servers, r).map((server, i) => ({ server, repeat: r + 1, order: i + 1 }))).flat();
}

/** `items` rotated left by `shift`: the order of the servers in 0-based repeat `shift`. */
export function rotation<T>(items: readonly T[], shift: number): T[] {
  const by = shift % Math.max(1, items.length);
  return [...items.slice(by), ...items.slice(0, by)];
}

export function measurementKey(targetId: string, point: PlanPoint, server: string, repeat: number): string {
  return `${targetId}/q${point.q}/${point.dataset}/${point.docCount}/${server}/${repeat}`;
}

/** CouchDB database names: lower case, starting with a letter. */
export function databaseName(runId: string, point: PlanPoint): string {
  return `couchbench-${runId}-q${point.q}-${point.dataset}-${point.docCount}`.toLowerCase().replace(/[^a-z0-9_$()+/-]/g, "-");
}

/** A profile's size limits and cost estimates are per built-in dataset; `<name>-identical` shares its name's, files have none. */
function datasetProfileName(dataset: string): string {
  return dataset.replace(/-identical$/, "");
}

export function summarisePlan(config: RunConfig, targetCount: number): PlanSummary {
  const points = planPoints(config);
  return {
    profile: config.profile,
    targetKind: config.targetKind,
    servers: config.servers,
    datasets: config.datasets,
    sizes: config.sizes,
    maxSizeByDataset: config.maxSizeByDataset,
    shards: config.shards,
    repeat: config.repeat,
    seed: config.seed,
    identicalDocs: config.identical,
    designDoc: config.designDoc,
    batchSize: config.batchSize,
    plannedMeasurements: targetCount * points.length * config.servers.length * config.repeat,
  };
}

/**
 * Rough per-document costs measured on a 2-core machine with CouchDB 3.4.3 (q=1): loading,
 * one build by one query server, reading the output back for the correctness check.
 */
const MS_PER_DOC: Record<string, { load: number; build: number; verify: number }> = {
  small: { load: 0.1, build: 0.4, verify: 0.05 },
  medium: { load: 0.3, build: 0.5, verify: 0.1 },
  large: { load: 20, build: 35, verify: 15 },
};
const FIXED_MS_PER_BUILD = 400;
const TARGET_START_MS = { docker: 30_000, local: 10_000, url: 1_000 } as const;

/** Expected time of one build at a point, its share of the point's loading included. */
export function estimateBuildMs(config: RunConfig, point: PlanPoint): number {
  const cost = MS_PER_DOC[datasetProfileName(point.dataset)] ?? MS_PER_DOC.medium!;
  const builds = config.servers.length * config.repeat;
  const loadMs = point.docCount * cost.load * (1 + config.updateFraction);
  const buildMs = point.docCount * (cost.build * (1 + config.updateFraction) + (config.verify ? cost.verify : 0)) + FIXED_MS_PER_BUILD;
  return buildMs + loadMs / builds;
}

/** Expected time until one target answers (in the total, and in the ETA's done part once it is up). */
export function estimateTargetStartMs(config: RunConfig): number {
  return TARGET_START_MS[config.targetKind];
}

export function estimateDurationMs(config: RunConfig, targetCount: number): number {
  const buildsPerPoint = config.servers.length * config.repeat;
  const perTarget = planPoints(config).reduce((total, point) => total + buildsPerPoint * estimateBuildMs(config, point), 0);
  return targetCount * (perTarget + estimateTargetStartMs(config));
}
