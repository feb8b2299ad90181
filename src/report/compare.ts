/**
 * Comparing two runs point by point: ratio of median build times with a bootstrap interval
 * (see stats.ts), and a verdict that only says "slower" when the whole interval is beyond
 * the threshold, so noise alone does not fail CI.
 */
import type { ResultsFile } from "../results/results-format.js";
import { environmentDifferences, type EnvironmentDifference } from "./environment-diff.js";
import { collectPoints, comparePoints, type Point, type PointKey } from "./points.js";
import { ratioInterval, spread, type RatioInterval, type Spread } from "../core/stats.js";

export interface CompareOptions {
  /** Allowed slowdown as a fraction: 0.1 fails on points certainly more than 10% slower. */
  threshold: number;
  /** Coverage of the ratio interval, default 0.95. */
  confidence?: number;
}

/** `regression`: interval entirely above 1 + threshold; `improvement`: entirely below 1 / (1 + threshold). */
export type Verdict = "regression" | "improvement" | "unchanged";

export interface ComparedPoint extends PointKey {
  baseline: Spread;
  current: Spread;
  interval: RatioInterval;
  verdict: Verdict;
}

export interface UnmatchedPoint extends PointKey {
  reason: string;
}

export interface Comparison {
  threshold: number;
  confidence: number;
  points: ComparedPoint[];
  unmatched: UnmatchedPoint[];
  environment: EnvironmentDifference[];
  regressions: number;
}

export function compareResults(baseline: ResultsFile, current: ResultsFile, options: CompareOptions): Comparison {
  const confidence = options.confidence ?? 0.95;
  const before = measuredPoints(baseline);
  const after = measuredPoints(current);
  const points: ComparedPoint[] = [];
  const unmatched: UnmatchedPoint[] = [];
  for (const [key, a] of before) {
    const b = after.get(key);
    if (!b) unmatched.push(unmatchedPoint(a, current, "current"));
    else points.push(comparePoint(a, b, options.threshold, confidence));
  }
  for (const [key, b] of after) {
    if (!before.has(key)) unmatched.push(unmatchedPoint(b, baseline, "baseline"));
  }
  unmatched.sort(comparePoints);
  return {
    threshold: options.threshold,
    confidence,
    points,
    unmatched,
    environment: environmentDifferences(baseline, current),
    regressions: points.filter((p) => p.verdict === "regression").length,
  };
}

/** Points with at least one completed build; the rest cannot be compared. */
function measuredPoints(file: ResultsFile): Map<string, Point> {
  return new Map(collectPoints(file).filter((p) => p.buildMs.length > 0).map((p) => [p.key, p]));
}

function unmatchedPoint(point: Point, other: ResultsFile, otherName: string): UnmatchedPoint {
  const attempted = other.measurements.some(
    (m) => m.couchdbVersion === point.couchdbVersion && m.q === point.q && m.n === point.n && m.dataset === point.dataset &&
      m.docCount === point.docCount && m.server === point.server,
  );
  const reason = attempted ? `no completed build in ${otherName}` : `not in ${otherName}`;
  return { ...keyOf(point), reason };
}

function comparePoint(a: Point, b: Point, threshold: number, confidence: number): ComparedPoint {
  const interval = ratioInterval(a.buildMs, b.buildMs, { confidence });
  return {
    ...keyOf(a),
    baseline: spread(a.buildMs),
    current: spread(b.buildMs),
    interval,
    verdict: verdictFor(interval, threshold),
  };
}

/** The fields that name a point, without its samples. */
function keyOf(point: Point): PointKey {
  const { couchdbVersion, q, n, dataset, docCount, server } = point;
  return { couchdbVersion, q, ...(n !== undefined ? { n } : {}), dataset, docCount, server };
}

export function verdictFor(interval: RatioInterval, threshold: number): Verdict {
  if (interval.low > 1 + threshold) return "regression";
  if (interval.high < 1 / (1 + threshold)) return "improvement";
  return "unchanged";
}
