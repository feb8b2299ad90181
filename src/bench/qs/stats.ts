/** The few statistics qs-bench quotes, as pure functions of the numbers measured. */
import { median, percentile } from "../../core/stats.js";

export function latencySummary(latenciesMs: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(latenciesMs).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Median of a field over repeats; null when no repeat could measure it (no /proc). */
export function medianOf<T>(samples: readonly T[], field: (sample: T) => number | null): number | null {
  const values = samples.map(field).filter((value): value is number => value !== null);
  return values.length === 0 ? null : median(values);
}
