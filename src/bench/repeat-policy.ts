/**
 * `--repeat auto`: whether a point needs another repeat, decided from the builds so far. A pure
 * function: the runner asks it before each repeat after the first, so it owns no loop, no clock
 * and no I/O (the way hyperfine's minimum runs and minimum time decide, outside the executor).
 *
 * The figure a CI verdict is read from is a server's build time ÷ the reference server's in the
 * same repeat (`compare --relative-to`); the point stops once the bootstrap interval of each
 * server's median of those ratios is narrower than `targetWidth` of the median, or after
 * `maxRepeats`, and never before REPEATS_FOR_A_95_INTERVAL. With no reference in the run, each server's own build-time
 * median is used.
 * Points whose builds are shorter than `minBuildMs` are not gated by `compare`, so they stop at
 * `minRepeats`: more repeats would buy a precision no verdict uses.
 */
import type { RepeatPolicy } from "../results/results-format.js";
import { DEFAULT_MIN_BUILD_MS, median, medianInterval } from "../core/stats.js";

export type { RepeatPolicy };

/**
 * The fewest repeats that can pin a median down at 95% without assuming a distribution: the
 * true median lies outside [min, max] of n builds with probability 2 × 0.5^n, 25% for n = 3 and
 * under 5% only from n = 6. The bootstrap interval is never wider than [min, max], so over fewer
 * repeats it claims a precision the builds do not have (an A/A pair of runs here: a gated point
 * stopped at 3 repeats in one run and showed a "certain" +6% against the other).
 */
export const REPEATS_FOR_A_95_INTERVAL = 6;

export const DEFAULT_REPEAT_POLICY: Omit<RepeatPolicy, "reference"> = {
  minRepeats: 3,
  maxRepeats: 10,
  targetWidth: 0.05,
  minBuildMs: DEFAULT_MIN_BUILD_MS,
};

/** Completed build times of one point so far: server → repeat number → milliseconds. */
export type BuildsSoFar = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface RepeatDecision {
  repeat: boolean;
  /** One line for the progress output: why it goes on or stops. */
  reason: string;
}

export function decideRepeat(policy: RepeatPolicy, builds: BuildsSoFar, repeatsDone: number): RepeatDecision {
  if (repeatsDone < policy.minRepeats)
    return { repeat: true, reason: `${repeatsDone} of at least ${policy.minRepeats} repeats` };
  if (repeatsDone >= policy.maxRepeats)
    return { repeat: false, reason: `reached the maximum of ${policy.maxRepeats} repeats` };
  // A server skipped on this CouchDB (or failing every build) has nothing to pin down.
  const measured = [...builds].filter(([, byRepeat]) => byRepeat.size > 0);
  if (measured.length === 0) return { repeat: false, reason: "no build completed: repeating will not help" };
  const shortest = Math.min(...measured.map(([, byRepeat]) => median([...byRepeat.values()])));
  if (shortest < policy.minBuildMs)
    return { repeat: false, reason: `builds under ${policy.minBuildMs} ms are not gated` };
  const enough = Math.min(REPEATS_FOR_A_95_INTERVAL, policy.maxRepeats);
  if (repeatsDone < enough)
    return { repeat: true, reason: `a gated point: ${repeatsDone} of at least ${enough} repeats for a 95% interval` };
  const widths = precisionOf(policy.reference, new Map(measured));
  const widest = Math.max(...widths.values());
  if (widest <= policy.targetWidth)
    return {
      repeat: false,
      reason: `interval within ±${percent(policy.targetWidth / 2)} after ${repeatsDone} repeats`,
    };
  const [server] = [...widths].find(([, width]) => width === widest)!;
  return {
    repeat: true,
    reason: `${server}: interval ${percent(widest)} of the median wide, target ${percent(policy.targetWidth)}`,
  };
}

/** Per server, the width of its interval as a fraction of its median: of the paired ratio when it can be paired. */
function precisionOf(reference: string, builds: BuildsSoFar): Map<string, number> {
  const against = builds.get(reference);
  const others = [...builds.keys()].filter((server) => server !== reference);
  const samples =
    against && against.size > 0 && others.length > 0
      ? others.map((server) => [server, pairedRatios(builds.get(server)!, against)] as const)
      : [...builds].map(([server, byRepeat]) => [server, [...byRepeat.values()]] as const);
  return new Map(samples.map(([server, values]) => [server, relativeWidth(values)]));
}

function pairedRatios(byRepeat: ReadonlyMap<number, number>, reference: ReadonlyMap<number, number>): number[] {
  return [...byRepeat].flatMap(([repeat, ms]) => (reference.has(repeat) ? [ms / reference.get(repeat)!] : []));
}

/** Fewer than two samples pin nothing down: infinitely wide. */
function relativeWidth(values: readonly number[]): number {
  if (values.length < 2) return Infinity;
  const interval = medianInterval(values);
  return (interval.high - interval.low) / interval.median;
}

function percent(fraction: number): string {
  return `${+(fraction * 100).toFixed(1)}%`;
}
