/**
 * Comparing two runs point by point: ratio of median build times with a bootstrap interval
 * (see stats.ts), and a verdict that only says "slower" when the whole interval is beyond
 * the threshold, so noise alone does not fail CI.
 *
 * Two runs on different machines (or one machine busy with other work) differ in speed as a
 * whole. `relativeTo` compares instead each server's build time ÷ the reference server's in the
 * same repeat of the same run, which that speed cancels out of; the verdict is then on that
 * relative figure. Points whose builds are shorter than `minBuildMs` are shown, never gated.
 */
import type { BuildMetrics, ResultsFile } from "../results/results-format.js";
import { runWarnings } from "./cost-text.js";
import { formatMs } from "./format.js";
import { environmentDifferences, type EnvironmentDifference } from "./environment-diff.js";
import {
  collectPoints,
  comparePoints,
  indexByKey,
  pairedRatios,
  pointKeyOf,
  referencePointFor,
  type Point,
  type PointKey,
} from "./points.js";
import { DEFAULT_MIN_BUILD_MS, ratioInterval, spread, type RatioInterval, type Spread } from "../core/stats.js";

export interface CompareOptions {
  /** Allowed slowdown as a fraction: 0.1 fails on points certainly more than 10% slower. */
  threshold: number;
  /** Coverage of the ratio interval, default 0.95. */
  confidence?: number;
  /** Judge each server by its build time ÷ this server's in the same run and repeat. */
  relativeTo?: string;
  /** A point is gated only when all its medians (both runs; the reference's too) reach this; default 1 s. */
  minBuildMs?: number;
  /** What is compared per build: `wall` (build.ms, the default), or one of BUILD_METRICS' costs. */
  metric?: BuildMetric;
}

/**
 * `wall`: from the view query that triggers a build until it answers. `qs-cpu`: the CPU time the
 * query-server processes spent in that time (`build.queryServerCpuMs`, local and docker targets):
 * what the query server's work cost, whatever else ran on the machine.
 */
export type BuildMetric = "wall" | "qs-cpu" | "cpu" | "rss" | "disk";

/**
 * Every metric `compare` can judge, its value per build (undefined where a build lacks it) and its
 * unit. `cpu`: the Erlang VM's and the query servers' CPU time together; `rss`: peak resident
 * memory of the VM plus the query servers that served the build; `disk`: peak growth of the index
 * directories (build.cost, local and docker targets).
 */
export const BUILD_METRICS: Readonly<
  Record<BuildMetric, { unit: "ms" | "bytes"; value: (build: BuildMetrics) => number | undefined; what: string }>
> = {
  wall: { unit: "ms", value: (b) => b.ms, what: "wall time" },
  "qs-cpu": { unit: "ms", value: (b) => b.queryServerCpuMs, what: "query-server CPU times" },
  cpu: {
    unit: "ms",
    value: (b) =>
      b.cost?.beamCpuMs !== undefined && b.queryServerCpuMs !== undefined
        ? b.cost.beamCpuMs + b.queryServerCpuMs
        : undefined,
    what: "CPU times of the Erlang VM and the query servers",
  },
  rss: {
    unit: "bytes",
    value: (b) =>
      b.cost?.beamPeakRssBytes !== undefined
        ? b.cost.beamPeakRssBytes + (b.cost.queryServerPeakRssBytes ?? 0)
        : undefined,
    what: "peak resident memory",
  },
  disk: { unit: "bytes", value: (b) => b.cost?.peakDiskGrowthBytes, what: "peak index disk growth" },
};

/** `regression`: interval entirely above 1 + threshold; `improvement`: entirely below 1 / (1 + threshold). */
export type Verdict = "regression" | "improvement" | "unchanged";

export interface ComparedPoint extends PointKey {
  baseline: Spread;
  current: Spread;
  /** Raw: median current / median baseline build time. */
  interval: RatioInterval;
  /** With `relativeTo`: this server ÷ the reference, per repeat, in each run, and their ratio. */
  relative?: { baseline: Spread; current: Spread; interval: RatioInterval };
  /** On the relative interval when there is one, else on the raw one. */
  verdict: Verdict;
  /** Whether the verdict counts; when not, why (`builds < 1.00 s`, `reference server`). */
  gated: boolean;
  ungatedReason?: string;
}

export interface UnmatchedPoint extends PointKey {
  reason: string;
}

export interface Comparison {
  metric: BuildMetric;
  threshold: number;
  confidence: number;
  relativeTo?: string;
  minBuildMs: number;
  points: ComparedPoint[];
  unmatched: UnmatchedPoint[];
  environment: EnvironmentDifference[];
  /** Either file's builds on a busy machine or with a query server exiting mid-build (cost-text.ts). */
  warnings: string[];
  regressions: number;
}

export function compareResults(baseline: ResultsFile, current: ResultsFile, options: CompareOptions): Comparison {
  const settings: Settings = {
    ...options,
    confidence: options.confidence ?? 0.95,
    minBuildMs: options.minBuildMs ?? DEFAULT_MIN_BUILD_MS,
  };
  const metric = options.metric ?? "wall";
  const before = measuredPoints(onMetric(baseline, metric));
  const after = measuredPoints(onMetric(current, metric));
  const [wallBefore, wallAfter] = [baseline, current].map(wallMedians);
  const points: ComparedPoint[] = [];
  const unmatched: UnmatchedPoint[] = [];
  for (const [key, a] of before) {
    const b = after.get(key);
    if (!b) unmatched.push(unmatchedPoint(a, current, "current"));
    else
      points.push(
        comparePoint(
          { point: a, byKey: before, wallMedians: wallBefore! },
          { point: b, byKey: after, wallMedians: wallAfter! },
          settings,
        ),
      );
  }
  for (const [key, b] of after) {
    if (!before.has(key)) unmatched.push(unmatchedPoint(b, baseline, "baseline"));
  }
  unmatched.sort(comparePoints);
  return {
    metric,
    threshold: options.threshold,
    confidence: settings.confidence,
    ...(options.relativeTo ? { relativeTo: options.relativeTo } : {}),
    minBuildMs: settings.minBuildMs,
    points,
    unmatched,
    environment: environmentDifferences(baseline, current),
    warnings: [...new Set([...runWarnings(baseline), ...runWarnings(current)])],
    regressions: points.filter((p) => p.gated && p.verdict === "regression").length,
  };
}

/**
 * Two servers of one run compared as if they were two runs (`compare --between base,head`): the
 * pull-request A/B, where both query servers were built interleaved on the same CouchDB.
 */
export function compareServersInRun(
  file: ResultsFile,
  baseServer: string,
  headServer: string,
  options: Omit<CompareOptions, "relativeTo">,
): Comparison {
  const only = (server: string) => file.measurements.filter((m) => m.server === server);
  const baseline = { ...file, measurements: only(baseServer).map((m) => ({ ...m, server: headServer })) };
  return compareResults(baseline, { ...file, measurements: only(headServer) }, options);
}

type Settings = CompareOptions & { confidence: number; minBuildMs: number };

/**
 * A point with the other points of its file, where its reference is found, and the file's wall-time medians by point
 * key.
 */
interface Located {
  point: Point;
  byKey: ReadonlyMap<string, Point>;
  wallMedians: ReadonlyMap<string, number>;
}

/**
 * Median wall time of every point's builds: whether a point is long enough to gate is a matter of
 * its wall time on every metric (CPU time is counted in 10 ms ticks and is a fraction of it).
 */
function wallMedians(file: ResultsFile): Map<string, number> {
  return new Map(
    collectPoints(file)
      .filter((p) => p.buildMs.length > 0)
      .map((p) => [p.key, spread(p.buildMs).median]),
  );
}

/**
 * The file with each build's `ms` replaced by its value on `metric`; builds without that value no longer count as
 * completed.
 */
function onMetric(file: ResultsFile, metric: BuildMetric): ResultsFile {
  if (metric === "wall") return file;
  return {
    ...file,
    measurements: file.measurements.map((m) => {
      if (!m.build) return m;
      const value = BUILD_METRICS[metric].value(m.build);
      return value === undefined
        ? { ...m, status: "skipped" as const, build: undefined }
        : { ...m, build: { ...m.build, ms: value } };
    }),
  };
}

/** Points with at least one completed build; the rest cannot be compared. */
function measuredPoints(file: ResultsFile): Map<string, Point> {
  return indexByKey(collectPoints(file).filter((p) => p.buildMs.length > 0));
}

function unmatchedPoint(point: Point, other: ResultsFile, otherName: string): UnmatchedPoint {
  const key = pointKeyOf(point);
  const attempted = other.measurements.some((m) => JSON.stringify(pointKeyOf(m)) === JSON.stringify(key));
  const reason = attempted ? `no completed build in ${otherName}` : `not in ${otherName}`;
  return { ...key, reason };
}

function comparePoint(before: Located, after: Located, settings: Settings): ComparedPoint {
  const [a, b] = [before.point, after.point];
  const { confidence, relativeTo, threshold } = settings;
  const interval = ratioInterval(a.buildMs, b.buildMs, { confidence });
  const { server } = a;
  const raw = { ...pointKeyOf(a), baseline: spread(a.buildMs), current: spread(b.buildMs), interval };
  if (!relativeTo)
    return {
      ...raw,
      verdict: verdictFor(interval, threshold),
      ...gate(
        [
          [a, before],
          [b, after],
        ],
        settings,
      ),
    };
  const references = [referencePointFor(a, before.byKey, relativeTo), referencePointFor(b, after.byKey, relativeTo)];
  const ratios = [a, b].map((p, i) => (references[i] ? pairedRatios(p, references[i]!) : []));
  if (server === relativeTo || ratios.some((r) => r.length === 0)) {
    const why = server === relativeTo ? "reference server" : `no ${relativeTo} build to divide by`;
    return { ...raw, verdict: verdictFor(interval, threshold), gated: false, ungatedReason: why };
  }
  const relativeInterval = ratioInterval(ratios[0]!, ratios[1]!, { confidence });
  return {
    ...raw,
    relative: { baseline: spread(ratios[0]!), current: spread(ratios[1]!), interval: relativeInterval },
    verdict: verdictFor(relativeInterval, threshold),
    ...gate(
      [
        [a, before],
        [b, after],
        [references[0]!, before],
        [references[1]!, after],
      ],
      settings,
    ),
  };
}

/** Gated only when every build median involved is long enough to measure. */
function gate(points: ReadonlyArray<[Point, Located]>, settings: Settings): { gated: boolean; ungatedReason?: string } {
  const shortest = Math.min(...points.map(([p, { wallMedians }]) => wallMedians.get(p.key) ?? 0));
  if (shortest >= settings.minBuildMs) return { gated: true };
  return { gated: false, ungatedReason: `builds < ${formatMs(settings.minBuildMs)}` };
}

export function verdictFor(interval: RatioInterval, threshold: number): Verdict {
  if (interval.low > 1 + threshold) return "regression";
  if (interval.high < 1 / (1 + threshold)) return "improvement";
  return "unchanged";
}
