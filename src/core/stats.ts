/**
 * Statistics shared by `report` and `compare`: pure functions over the repeats of one point.
 *
 * The comparison statistic is the ratio of medians (current / baseline build time). Its interval
 * is a percentile bootstrap: both samples are resampled with replacement, the ratio of the
 * resampled medians is taken `resamples` times, and the central `confidence` share of those
 * ratios is the interval. Why this method: build times are skewed and come in few repeats, so
 * no normality is assumed; the median keeps one slow outlier from deciding a verdict; and a
 * fixed-seed generator makes the same files always give the same interval (a CI verdict must
 * not flip on rerun). Known limit: with very few repeats a percentile bootstrap is narrower than
 * the truth, so CI should use 3 or more repeats. With a single sample on either side there is
 * nothing to resample and the interval is the ratio itself (`resampled: false`).
 */
import { mulberry32 } from "./random.js";

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface RatioInterval {
  /** median(current) / median(baseline). */
  ratio: number;
  low: number;
  high: number;
  confidence: number;
  /** False when a side had fewer than two samples, so `low` = `high` = `ratio`. */
  resampled: boolean;
}

export interface RatioIntervalOptions {
  /** Central coverage of the interval, default 0.95. */
  confidence?: number;
  /** Bootstrap resamples, default 10,000 (a few ms for typical repeat counts). */
  resamples?: number;
  /** Seed of the resampling generator, default 1; fixed so results are reproducible. */
  seed?: number;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Quantile with linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("quantile of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  return quantileOfSorted(sorted, p);
}

function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below
 * it. Always a value that was measured (no interpolation between two documents).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no values");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread of an empty sample");
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Interval of median(current) / median(baseline); see the module comment for the method. */
export function ratioInterval(
  baseline: readonly number[],
  current: readonly number[],
  options: RatioIntervalOptions = {},
): RatioInterval {
  const confidence = options.confidence ?? 0.95;
  const ratio = median(current) / median(baseline);
  if (baseline.length < 2 || current.length < 2) {
    return { ratio, low: ratio, high: ratio, confidence, resampled: false };
  }
  const random = mulberry32(options.seed ?? 1);
  const resamples = options.resamples ?? 10_000;
  const ratios = new Float64Array(resamples);
  const drawCurrent = new Float64Array(current.length);
  const drawBaseline = new Float64Array(baseline.length);
  for (let i = 0; i < resamples; i++) {
    ratios[i] = resampledMedian(current, drawCurrent, random) / resampledMedian(baseline, drawBaseline, random);
  }
  ratios.sort(); // typed arrays sort numerically
  const tail = (1 - confidence) / 2;
  return {
    ratio,
    low: quantileOfSorted(ratios, tail),
    high: quantileOfSorted(ratios, 1 - tail),
    confidence,
    resampled: true,
  };
}

/**
 * Percentile-bootstrap interval of one sample's median: how precisely the repeats so far pin it
 * down. Same method and seed rule as `ratioInterval`.
 */
export interface MedianInterval {
  median: number;
  low: number;
  high: number;
  /** False with fewer than two samples: `low` = `high` = `median`. */
  resampled: boolean;
}

export function medianInterval(values: readonly number[], options: RatioIntervalOptions = {}): MedianInterval {
  const confidence = options.confidence ?? 0.95;
  const centre = median(values);
  if (values.length < 2) return { median: centre, low: centre, high: centre, resampled: false };
  const random = mulberry32(options.seed ?? 1);
  const medians = new Float64Array(options.resamples ?? 10_000);
  const draw = new Float64Array(values.length);
  for (let i = 0; i < medians.length; i++) medians[i] = resampledMedian(values, draw, random);
  medians.sort();
  const tail = (1 - confidence) / 2;
  return {
    median: centre,
    low: quantileOfSorted(medians, tail),
    high: quantileOfSorted(medians, 1 - tail),
    resampled: true,
  };
}

/**
 * Builds shorter than this are shown but never gate a verdict: below about a second, fixed costs
 * (HTTP round trips, process start, scheduling on a shared machine) move a build by tens of
 * percent between runs (measured: 27% at 150 ms builds against 3% at 5,000 documents).
 */
export const DEFAULT_MIN_BUILD_MS = 1000;

/** Median of one resample; `draw` is scratch space reused across resamples (this is the hot loop). */
function resampledMedian(values: readonly number[], draw: Float64Array, random: () => number): number {
  for (let i = 0; i < values.length; i++) draw[i] = values[Math.floor(random() * values.length)]!;
  draw.sort();
  const middle = draw.length >> 1;
  return draw.length % 2 ? draw[middle]! : (draw[middle - 1]! + draw[middle]!) / 2;
}
