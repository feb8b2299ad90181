import {
  combinationLabel,
  databaseSettings,
  splitByScope,
  type ConfigCombination,
  type ConfigSetting,
} from "../couch/config-settings.js";
import type { ServerCommand } from "../couch/query-servers.js";
import type { PlanSummary } from "../results/results-format.js";
import type { IdScheme } from "./datasets/index.js";
import { decideRepeat, type BuildsSoFar, type RepeatPolicy } from "./repeat-policy.js";

/** What a run measures, shared with the results file's plan; the rest says how and where. */
type MeasuredPlan = Pick<
  PlanSummary,
  | "profile"
  | "targetKind"
  | "servers"
  | "datasets"
  | "sizes"
  | "maxSizeByDataset"
  | "shards"
  | "repeat"
  | "seed"
  | "designDoc"
  | "batchSize"
>;

/** A validated `couchbench run` configuration: profile defaults with explicit options applied. */
export interface RunConfig extends MeasuredPlan {
  /** Every `--ddoc`, as paths (`designDoc` is the first). */
  designDocs: string[];
  ids: IdScheme[];
  /** `couchdb:` datasets: documents to read (default: the largest size). */
  sample?: number;
  /** `couchdb:` datasets as `datasets` names them (no credentials) → the spec as given, credentials included. */
  datasetLocations: Record<string, string>;
  couchdbVersions: string[];
  couchdbBins: string[];
  /** Servers given with `--query-server`; those in `servers` are benchmarked. */
  queryServers: ServerCommand[];
  /** docker: `--docker-file`, the user's additions to couchbench's image. */
  dockerFile?: string;
  url?: string;
  identical: boolean;
  loadConcurrency: number;
  /** Fraction of the database added for the incremental-update measurement (0 disables it). */
  updateFraction: number;
  verify: boolean;
  /** `--compact`: compact each build's views afterwards and measure the compaction. */
  compact?: boolean;
  outDir: string;
  runId: string;
  cpus?: number;
  memoryBytes?: number;
  /** `--repeat auto`: `repeat` is then the most a point gets (`repeatPolicy.maxRepeats`). */
  repeatPolicy?: RepeatPolicy;
  /** Overrides the target kind's DEFAULT_START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  resume: boolean;
  /** CouchDB nodes per started target (`--nodes`); above 1 the target is a cluster. */
  nodes: number;
  /** `--n`: copies per shard range to compare; absent, databases get the server's default. */
  replicas?: number[];
  /** `--config` / `--config-combos`: the settings every point is built under; absent without them. */
  configCombinations?: ConfigCombination[];
}

/** One database: loaded once, then built by every design doc and server in every repeat. */
export interface PlanPoint {
  q: number;
  /** Copies per shard range (`?n=`), when the run compares them. */
  n?: number;
  dataset: string;
  docCount: number;
  ids: IdScheme;
}

export interface BuildStep {
  /** Short name of the design doc (`classic`). */
  designDoc: string;
  server: string;
  repeat: number;
  /** 1-based position in this repeat's order (of the design doc's builds: settings × servers). */
  order: number;
  /** `--config`: the combination's label (combinationLabel); absent without `--config`. */
  config?: string;
}

/**
 * Points in run order: shard count, copies, dataset, size ascending (small first gives early feedback), then id scheme.
 */
export function planPoints(
  config: Pick<RunConfig, "shards" | "datasets" | "sizes" | "maxSizeByDataset" | "ids"> & {
    replicas?: number[] | undefined;
  },
): PlanPoint[] {
  const sizes = [...new Set(config.sizes)].sort((a, b) => a - b);
  const copies: Array<{ n?: number }> = config.replicas ? config.replicas.map((n) => ({ n })) : [{}];
  return config.shards.flatMap((q) =>
    copies.flatMap((n) =>
      config.datasets.flatMap((dataset) =>
        sizes
          .filter((docCount) => docCount <= (config.maxSizeByDataset[datasetProfileName(dataset)] ?? Infinity))
          .flatMap((docCount) => config.ids.map((ids) => ({ q, ...n, dataset, docCount, ids }))),
      ),
    ),
  );
}

/**
 * Repeat r runs the design docs and, within each, the servers rotated by r-1, so none always
 * runs first (warm caches, page cache) and every design doc is measured beside the others.
 */
export function buildSteps(
  servers: readonly string[],
  repeat: number,
  designDocs: readonly string[],
  configs?: readonly string[],
): BuildStep[] {
  return [...pointSteps({ servers, repeat, designDocs, ...(configs ? { configs } : {}) }, () => new Map())];
}

/**
 * A point's builds in order, produced lazily: with a repeat policy, each repeat starts only when
 * `decideRepeat` asks for it, for any design doc, given `buildsSoFar()` (by design doc, read when
 * the previous repeat is done).
 */
export function* pointSteps(
  config: {
    servers: readonly string[];
    repeat: number;
    designDocs: readonly string[];
    repeatPolicy?: RepeatPolicy;
    /**
     * `--config`: combination labels, rotated like the servers and outermost, so a setting changes as seldom as the
     * rotation allows (each change is a `_config` write on every node).
     */
    configs?: readonly string[];
  },
  buildsSoFar: () => ReadonlyMap<string, BuildsSoFar>,
): Generator<BuildStep> {
  const configs: ReadonlyArray<string | undefined> = config.configs?.length ? config.configs : [undefined];
  for (let r = 0; r < config.repeat; r++) {
    if (config.repeatPolicy && r > 0) {
      const builds = buildsSoFar();
      if (
        !config.designDocs.some(
          (designDoc) => decideRepeat(config.repeatPolicy!, builds.get(designDoc) ?? new Map(), r).repeat,
        )
      )
        return;
    }
    yield* rotation(configs, r).flatMap((setting, c) =>
      rotation(config.designDocs, r).flatMap((designDoc) =>
        rotation(config.servers, r).map((server, i) => ({
          designDoc,
          server,
          repeat: r + 1,
          order: c * config.servers.length + i + 1,
          ...(setting !== undefined ? { config: setting } : {}),
        })),
      ),
    );
  }
}

/** `q2/n3/medium/1000/sequential`: how the plan and messages name a point (n only when the run compares copies). */
export function pointLabel(point: PlanPoint): string {
  return `q${point.q}${copiesSegment(point, "/")}/${point.dataset}/${point.docCount}/${point.ids}`;
}

function copiesSegment(point: Pick<PlanPoint, "n">, separator: string): string {
  return point.n === undefined ? "" : `${separator}n${point.n}`;
}

/** `items` rotated left by `shift`: the order of the servers in 0-based repeat `shift`. */
export function rotation<T>(items: readonly T[], shift: number): T[] {
  const by = shift % Math.max(1, items.length);
  return [...items.slice(by), ...items.slice(0, by)];
}

export function measurementKey(
  targetId: string,
  point: PlanPoint,
  step: Pick<BuildStep, "designDoc" | "server" | "repeat" | "config">,
): string {
  const setting = step.config === undefined ? "" : `/${step.config}`;
  return `${targetId}/${pointLabel(point)}/${step.designDoc}/${step.server}${setting}/${step.repeat}`;
}

/**
 * The targets `--config` needs per CouchDB: one start per distinct set of start-up settings, each
 * running the combinations that share them (those differ only in settings set at run time).
 */
export interface TargetSettings {
  /** Written to an ini file the target starts with; empty: the target starts as it is. */
  start: ConfigSetting[];
  combinations: ConfigCombination[];
}

export function targetSettings(combinations: readonly ConfigCombination[] | undefined): TargetSettings[] {
  if (!combinations?.length) return [{ start: [], combinations: [] }];
  const groups = new Map<string, TargetSettings>();
  for (const combination of combinations) {
    const { start } = splitByScope(combination);
    const label = combinationLabel(start);
    const group = groups.get(label) ?? { start, combinations: [] };
    group.combinations.push(combination);
    groups.set(label, group);
  }
  return [...groups.values()];
}

/** The combinations a target started with `startConfig` (its start-up settings) measures; none without `--config`. */
export function combinationsStartedWith(
  combinations: readonly ConfigCombination[] | undefined,
  startConfig: readonly ConfigSetting[] = [],
): ConfigCombination[] {
  const start = combinationLabel(startConfig);
  return targetSettings(combinations).find((group) => combinationLabel(group.start) === start)?.combinations ?? [];
}

/**
 * Combinations that can share a benchmark database: those equal in the settings CouchDB reads when a database opens
 * (`file_compression`). Each group gets databases of its own, created after its settings are set, so the points run
 * once per group, in `--config` order; within a group the combinations rotate build by build. `[[]]` without
 * `--config`.
 */
export function databaseGroups(combinations: readonly ConfigCombination[]): ConfigCombination[][] {
  const groups = new Map<string, ConfigCombination[]>();
  for (const combination of combinations) {
    const label = combinationLabel(databaseSettings(combination));
    groups.set(label, [...(groups.get(label) ?? []), combination]);
  }
  return groups.size > 0 ? [...groups.values()] : [[]];
}

/** Builds per point and repeat: design docs × servers × setting combinations. */
function buildsPerRepeat(config: Pick<RunConfig, "designDocs" | "servers" | "configCombinations">): number {
  return config.designDocs.length * config.servers.length * Math.max(1, config.configCombinations?.length ?? 0);
}

/** CouchDB database names: lower case, starting with a letter. */
export function databaseName(runId: string, point: PlanPoint): string {
  return `couchbench-${runId}-q${point.q}${copiesSegment(point, "-")}-${point.dataset}-${point.docCount}-${point.ids}`
    .toLowerCase()
    .replace(/[^a-z0-9_$()+/-]/g, "-");
}

/**
 * A profile's size limits and cost estimates are per built-in dataset; `<name>-identical` shares its name's, files have
 * none.
 */
function datasetProfileName(dataset: string): string {
  return dataset.replace(/-identical$/, "");
}

export function summarisePlan(config: RunConfig, targetCount: number): PlanSummary {
  const points = planPoints(config);
  return {
    profile: config.profile,
    targetKind: config.targetKind,
    servers: config.servers,
    ...(config.queryServers.length > 0 ? { queryServers: config.queryServers } : {}),
    datasets: config.datasets,
    sizes: config.sizes,
    maxSizeByDataset: config.maxSizeByDataset,
    shards: config.shards,
    repeat: config.repeat,
    ...(config.repeatPolicy ? { repeatPolicy: config.repeatPolicy } : {}),
    seed: config.seed,
    identicalDocs: config.identical,
    designDoc: config.designDoc,
    designDocs: config.designDocs,
    ids: config.ids,
    batchSize: config.batchSize,
    plannedMeasurements: targetCount * points.length * buildsPerRepeat(config) * config.repeat,
    ...(config.nodes > 1 ? { nodes: config.nodes } : {}),
    ...(config.replicas ? { replicas: config.replicas } : {}),
    ...(config.compact ? { compact: true } : {}),
    ...(config.configCombinations
      ? { config: { combinations: config.configCombinations.map((c) => [...c]), order: "rotated" as const } }
      : {}),
  };
}

/**
 * Per-document costs of loading, one build by one query server, and reading the output back for
 * the correctness check, calibrated on the default run (CouchDB 3.5.2 in Docker, q=1, 2 cores):
 * it took 160 s, and these make its estimate 187 s. Other servers, design docs and CouchDB versions
 * build faster or slower (erlang and typescript faster, a JavaScript reduce on random ids slower);
 * the progress output corrects the total once a run's first builds show how fast it goes.
 */
const MS_PER_DOC: Record<string, { load: number; build: number; verify: number }> = {
  small: { load: 0.05, build: 0.2, verify: 0.03 },
  medium: { load: 0.15, build: 0.25, verify: 0.05 },
  large: { load: 6, build: 7, verify: 2 },
};
const FIXED_MS_PER_BUILD = 300;
const TARGET_START_MS = { docker: 30_000, local: 10_000, url: 1_000 } as const;

/**
 * Expected time of one build at a point, its share of the point's loading included. A cluster
 * couchbench starts (local, docker) runs every node on this machine's cores, so n copies of each
 * range are n times the indexing work, and each copy's output is read back for the check; on a
 * `--url` cluster the nodes may be other machines, building their copies side by side.
 */
export function estimateBuildMs(config: RunConfig, point: Pick<PlanPoint, "dataset" | "docCount" | "n">): number {
  const cost = datasetCost(point.dataset);
  const builds = buildsPerRepeat(config) * config.repeat;
  // Without --n a cluster's databases get CouchDB's default, [cluster] n = 3 (at most one per node).
  const copies = config.targetKind === "url" ? 1 : (point.n ?? Math.min(3, config.nodes));
  const loadMs = point.docCount * cost.load * (1 + config.updateFraction);
  const buildMs =
    copies * point.docCount * (cost.build * (1 + config.updateFraction) + (config.verify ? cost.verify : 0)) +
    FIXED_MS_PER_BUILD;
  return buildMs + loadMs / builds;
}

/** Expected milliseconds to load `docCount` documents, and to build (and optionally read back) one index of them. */
export function estimateCosts(
  dataset: string,
  docCount: number,
): { loadMs: number; buildMs: number; verifyMs: number } {
  const cost = datasetCost(dataset);
  return {
    loadMs: docCount * cost.load,
    buildMs: docCount * cost.build + FIXED_MS_PER_BUILD,
    verifyMs: docCount * cost.verify,
  };
}

function datasetCost(dataset: string): { load: number; build: number; verify: number } {
  return MS_PER_DOC[datasetProfileName(dataset)] ?? MS_PER_DOC.medium!;
}

/** Expected time until one target answers (in the total, and in the ETA's done part once it is up). */
export function estimateTargetStartMs(config: RunConfig): number {
  return TARGET_START_MS[config.targetKind];
}

/** `targetCount`: CouchDB versions or releases; `--config` start-up settings start each once per setting. */
export function estimateDurationMs(config: RunConfig, targetCount: number): number {
  const buildsPerPoint = buildsPerRepeat(config) * config.repeat;
  const perTarget = planPoints(config).reduce(
    (total, point) => total + buildsPerPoint * estimateBuildMs(config, point),
    0,
  );
  const starts = targetSettings(config.configCombinations).length;
  return targetCount * (perTarget + starts * estimateTargetStartMs(config));
}

/** The runner's datasets are opened once per dataset and id scheme: a point's key into them. */
export function datasetKey(point: Pick<PlanPoint, "dataset" | "ids">): string {
  return `${point.dataset}/${point.ids}`;
}
