/**
 * How long `couchbench ingest` takes: pure, from the plan, so the estimate is unit-tested and
 * calibrated against the published runs (ingest-estimate-calibration.test.ts).
 */
import type { Freshness } from "../../results/ingest-format.js";
import { estimateCosts } from "../plan.js";
import { findKnee, nextSearchRate, type RateVerdict, type SearchLimits } from "./knee.js";

export interface IngestEstimateInputs {
  /** Query servers measured on each target. */
  serverCount: number;
  /** CouchDB versions or releases, each measured in turn. */
  targetCount: number;
  /** Ascending, as `--rates`. */
  rates: readonly number[];
  findMax: boolean;
  searchLimits: SearchLimits;
  freshness: Freshness;
  warmupMs: number;
  durationMs: number;
  drainTimeoutMs: number;
  preload: number;
  dataset: string;
  /** plan.ts's start-up estimate for the target's kind. */
  targetStartMs: number;
}

/**
 * Per step, besides its writes and drain: a fresh database created and deleted, the design doc
 * put and built. The published reader-mode steps took 0.2–0.3 s more than warm-up + duration.
 */
const STEP_SETUP_MS = 250;
/**
 * The drain a step is expected to wait, on average. Reader mode: a sustained step's backlog is
 * gone in a few hundred ms, a step past the knee drains for seconds, up to --drain-timeout; over
 * the published reader run (20 steps, 10 past the knee) it averaged 2.5 s. Background mode: ken
 * resubmits a busy database every 60 s, so the last writes wait for its next cycle or not at all:
 * 0.1–31 s in the published background runs, 19 s on average.
 */
const EXPECTED_DRAIN_MS: Record<Freshness, number> = { reader: 2_000, background: 20_000 };

/** The drain a step is expected to wait, never more than --drain-timeout. */
export function expectedDrainMs(inputs: Pick<IngestEstimateInputs, "freshness" | "drainTimeoutMs">): number {
  return Math.min(inputs.drainTimeoutMs, EXPECTED_DRAIN_MS[inputs.freshness]);
}

/** Expected time of one step: setup, preload and its build, warm-up, measured writes, drain. */
export function estimateStepMs(inputs: IngestEstimateInputs): number {
  const preload = inputs.preload > 0 ? estimateCosts(inputs.dataset, inputs.preload) : undefined;
  return (
    STEP_SETUP_MS +
    (preload ? preload.loadMs + preload.buildMs : 0) +
    inputs.warmupMs +
    inputs.durationMs +
    expectedDrainMs(inputs)
  );
}

/**
 * `--find-max`'s steps per server after `--rates`, run through knee.ts's own search for every knee
 * on a fine geometric grid: `expected` for a knee from the lowest rate to below the highest (a
 * highest rate that holds sends the search doubling up; a single rate: within a factor of 2), `atMost` for a knee anywhere from below `minRate` to above
 * `maxRate` (doubling up, or halving down, to the limit first).
 */
export function searchSteps(rates: readonly number[], limits: SearchLimits): { expected: number; atMost: number } {
  const low = rates[0]!;
  const high = rates.length > 1 ? rates.at(-1)! : low * 2;
  return {
    expected: mostSearchSteps(rates, limits, rates.length > 1 ? low : low / 2, high, false),
    atMost: mostSearchSteps(rates, limits, limits.minRate / 2, limits.maxRate * 2, true),
  };
}

const KNEES_PER_DOUBLING = 64;

function mostSearchSteps(
  rates: readonly number[],
  limits: SearchLimits,
  fromKnee: number,
  toKnee: number,
  withTop: boolean,
): number {
  const points = Math.max(1, Math.ceil(Math.log2(toKnee / fromKnee) * KNEES_PER_DOUBLING));
  let most = 0;
  for (let i = 0; i < (withTop ? points + 1 : points); i++)
    most = Math.max(most, stepsToKnee(rates, limits, fromKnee * (toKnee / fromKnee) ** (i / points)));
  return most;
}

/** The search's steps when every rate up to `knee` holds and none above it does. */
function stepsToKnee(rates: readonly number[], limits: SearchLimits, knee: number): number {
  const verdicts: RateVerdict[] = rates.map((rate) => ({ rate, sustained: rate <= knee }));
  for (let steps = 0; ; steps++) {
    const rate = nextSearchRate(findKnee(verdicts), limits);
    // knee.ts always narrows the bracket or stops at a limit; the bound only guards a future change of it.
    if (rate === undefined || steps > 1000) return steps;
    verdicts.push({ rate, sustained: rate <= knee });
  }
}

/** Steps per target: every server at every rate, and with `--find-max` the search expected after them. */
export function plannedSteps(inputs: IngestEstimateInputs): { steps: number; searched: number } {
  const searched = inputs.findMax ? searchSteps(inputs.rates, inputs.searchLimits).expected : 0;
  return { steps: inputs.serverCount * inputs.rates.length, searched: inputs.serverCount * searched };
}

/** Every target's start and steps, the search included. */
export function estimateIngestMs(inputs: IngestEstimateInputs): number {
  const { steps, searched } = plannedSteps(inputs);
  return inputs.targetCount * (inputs.targetStartMs + (steps + searched) * estimateStepMs(inputs));
}
