/**
 * Is a series (lag or read latency over a step) bounded or growing? The Theil–Sen slope (median
 * of the pairwise slopes: robust to the outliers a stall or a GC pause leaves) with Sen's
 * distribution-free confidence interval (Sen 1968, from Kendall's tau).
 *
 * A series is `growing` when the interval's lower bound is above 0 and even that lower bound,
 * kept up over the whole step, adds more than `toleranceMs`: a statistically certain but tiny
 * rise (a few ms over a minute) is not a backlog. Known limit: lag samples are autocorrelated,
 * which makes Sen's interval narrower than the truth; the tolerance is what keeps that from
 * calling noise a trend.
 */
import type { TrendResult } from "../../results/ingest-format.js";

/** A trend as the results file keeps it (`TrendResult`). */
export type Trend = TrendResult;

/** 95% two-sided normal quantile. */
const Z_95 = 1.959964;
/** Above this many samples the series is thinned evenly: the pairwise slopes grow as n². */
const MAX_POINTS = 600;

/** `series` as [timeMs, valueMs] pairs, in time order. Undefined with fewer than 3 samples. */
export function theilSen(series: ReadonlyArray<readonly [number, number]>, toleranceMs: number): Trend | undefined {
  const points = thin(series, MAX_POINTS);
  const n = points.length;
  if (n < 3) return undefined;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = points[j]![0] - points[i]![0];
      if (dt > 0) slopes.push(((points[j]![1] - points[i]![1]) / dt) * 1000);
    }
  }
  if (slopes.length === 0) return undefined;
  slopes.sort((a, b) => a - b);
  const count = slopes.length;
  const slope = middle(slopes);
  const c = Z_95 * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowIndex = Math.max(0, Math.floor((count - c) / 2));
  const highIndex = Math.min(count - 1, Math.ceil((count + c) / 2));
  const low = slopes[lowIndex]!;
  const high = slopes[highIndex]!;
  const spanS = (points[n - 1]![0] - points[0]![0]) / 1000;
  const confidentRiseMs = low * spanS;
  return {
    slopeMsPerS: slope,
    lowMsPerS: low,
    highMsPerS: high,
    confidence: 0.95,
    points: n,
    confidentRiseMs,
    growing: low > 0 && confidentRiseMs > toleranceMs,
  };
}

function middle(sorted: readonly number[]): number {
  const half = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(half)]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

/** At most `max` items, evenly spaced, first and last kept. */
export function thin<T>(series: readonly T[], max: number): T[] {
  if (series.length <= max) return [...series];
  return Array.from({ length: max }, (_, i) => series[Math.round((i * (series.length - 1)) / (max - 1))]!);
}
