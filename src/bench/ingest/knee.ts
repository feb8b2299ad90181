/**
 * The knee: per server, the highest rate that was sustained and the first that was not. Pure, so
 * `--find-max` (which rate to try next) is unit-tested without a CouchDB.
 */

export interface RateVerdict {
  rate: number;
  sustained: boolean;
}

export interface Knee {
  /** `bracketed`: both sides measured; `above`: every rate held; `below`: none did; `none`: nothing measured. */
  status: "bracketed" | "above" | "below" | "none";
  /** Highest rate sustained below the first one that was not. */
  sustainableRate?: number;
  /** Lowest rate not sustained. */
  firstUnsustainedRate?: number;
  /** Sustained rates above the first unsustained one: a noisy machine, worth a rerun. */
  nonMonotonic: number[];
}

/** `--find-max` stops once the knee is bracketed this tightly: √ratio ≤ 1.1, i.e. ±10% around the geometric middle. */
export const FIND_MAX_RATIO = 1.21;

export function findKnee(verdicts: readonly RateVerdict[]): Knee {
  if (verdicts.length === 0) return { status: "none", nonMonotonic: [] };
  const failed = verdicts.filter((v) => !v.sustained).map((v) => v.rate);
  const firstUnsustainedRate = failed.length > 0 ? Math.min(...failed) : undefined;
  const held = verdicts.filter((v) => v.sustained).map((v) => v.rate);
  const below = held.filter((rate) => firstUnsustainedRate === undefined || rate < firstUnsustainedRate);
  const nonMonotonic = held.filter((rate) => firstUnsustainedRate !== undefined && rate > firstUnsustainedRate);
  const sustainableRate = below.length > 0 ? Math.max(...below) : undefined;
  const status = firstUnsustainedRate === undefined ? "above" : sustainableRate === undefined ? "below" : "bracketed";
  return {
    status,
    ...(sustainableRate !== undefined ? { sustainableRate } : {}),
    ...(firstUnsustainedRate !== undefined ? { firstUnsustainedRate } : {}),
    nonMonotonic: nonMonotonic.sort((a, b) => a - b),
  };
}

export interface SearchLimits {
  /** No rate above this is tried (every rate held: the search doubles up to here). */
  maxRate: number;
  /** No rate below this is tried (no rate held: the search halves down to here). */
  minRate: number;
}

/**
 * The next rate `--find-max` measures, or undefined when the knee is within ±10% or the limits
 * are reached: the geometric middle of a bracket, double the highest rate when all held, half
 * the lowest when none did.
 */
export function nextSearchRate(knee: Knee, limits: SearchLimits): number | undefined {
  switch (knee.status) {
    case "none":
      return undefined;
    case "bracketed": {
      const low = knee.sustainableRate!;
      const high = knee.firstUnsustainedRate!;
      if (high / low <= FIND_MAX_RATIO) return undefined;
      const middle = Math.round(Math.sqrt(low * high));
      return middle > low && middle < high ? middle : undefined;
    }
    case "above": {
      const next = Math.min(knee.sustainableRate! * 2, limits.maxRate);
      return next > knee.sustainableRate! ? next : undefined;
    }
    case "below": {
      const next = Math.max(Math.floor(knee.firstUnsustainedRate! / 2), limits.minRate);
      return next < knee.firstUnsustainedRate! ? next : undefined;
    }
  }
}
