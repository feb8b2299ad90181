/**
 * Whether a step was sustained, by the knee rules of its freshness mode (stated in the README
 * and the report):
 *
 * - both modes: the writer achieved at least 95% of the offered rate without write errors, every
 *   sentinel became visible before the drain timeout, and lag shows no upward trend;
 * - reader mode also: lag p95 and read latency p95 under `--max-lag`, and read latency shows no
 *   upward trend either.
 *
 * Background mode has no lag ceiling: ken's schedule, not the query server, sets its absolute lag.
 * A server that runs no views (noop) shows no sentinel: it is judged on the write and read side only.
 */
import type { Freshness, IngestStep } from "../../results/ingest-format.js";

export const MIN_ACHIEVED_SHARE = 0.95;

type Measured = Pick<
  IngestStep,
  | "offeredRate"
  | "achievedRate"
  | "writeErrors"
  | "lag"
  | "lagTrend"
  | "readLatency"
  | "readTrend"
  | "readErrors"
  | "sentinels"
  | "unseenSentinels"
  | "drainMs"
>;

export function judgeStep(
  step: Measured,
  mode: Freshness,
  maxLagMs: number,
  measuresLag = true,
): { outcome: "sustained" | "unsustained"; reasons: string[] } {
  const reasons: string[] = [];
  const offered = step.offeredRate ?? 0;
  const achieved = step.achievedRate ?? 0;
  if (achieved < offered * MIN_ACHIEVED_SHARE) reasons.push(`offered ${rate(offered)}/s, achieved ${rate(achieved)}/s`);
  if (step.writeErrors) reasons.push(`${step.writeErrors} write request(s) failed`);
  if (measuresLag) {
    if (step.unseenSentinels)
      reasons.push(`${step.unseenSentinels} of ${step.sentinels} sentinels never became visible`);
    else if (step.drainMs === undefined) reasons.push("the backlog did not drain before the timeout");
    if (step.lagTrend?.growing) reasons.push(`lag grows ${rise(step.lagTrend.slopeMsPerS)} ms/s over the step`);
    if (!step.lag || step.lag.count === 0) reasons.push("no sentinel was measured");
  }
  if (mode === "reader") {
    if (measuresLag && step.lag && step.lag.p95Ms > maxLagMs)
      reasons.push(`lag p95 ${ms(step.lag.p95Ms)} over ${ms(maxLagMs)}`);
    if (step.readLatency && step.readLatency.p95Ms > maxLagMs)
      reasons.push(`read p95 ${ms(step.readLatency.p95Ms)} over ${ms(maxLagMs)}`);
    if (step.readTrend?.growing) reasons.push(`read latency grows ${rise(step.readTrend.slopeMsPerS)} ms/s`);
    if (step.readErrors) reasons.push(`${step.readErrors} read(s) failed`);
  }
  return { outcome: reasons.length === 0 ? "sustained" : "unsustained", reasons };
}

function rate(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function rise(value: number): string {
  return value.toFixed(value < 10 ? 1 : 0);
}
