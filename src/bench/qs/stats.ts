/** The few statistics qs-bench quotes, as pure functions of the numbers measured. */

/** Middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
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

export function latencySummary(latenciesMs: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(latenciesMs).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Median of a field over repeats; null when no repeat could measure it (no /proc). */
export function medianOf<T>(samples: readonly T[], field: (sample: T) => number | null): number | null {
  const values = samples.map(field).filter((value): value is number => value !== null);
  return values.length === 0 ? null : median(values);
}

/**
 * Order of the servers in repeat `repeat`: rotated by one each repeat, so that no server
 * always runs first (on a cold cache) or right after the same neighbour.
 */
export function rotation<T>(items: readonly T[], repeat: number): T[] {
  const shift = repeat % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}
