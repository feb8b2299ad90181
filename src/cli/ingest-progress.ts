import type { IngestEvent } from "../bench/ingest/ingest-runner.js";
import type { IngestStep } from "../results/ingest-format.js";
import { seriesLabel } from "../couch/config-settings.js";
import { seconds } from "./duration-text.js";
import { EstimatedTotal } from "./estimated-total.js";

export interface IngestProgressPlan {
  /** Steps ahead, the search's expected ones included. */
  steps: number;
  /** Expected time of one step, and of one target's start: both in `totalMs`. */
  stepMs: number;
  /** The drain in `stepMs`, and the longest a step waits for it (`--drain-timeout`). */
  expectedDrainMs: number;
  drainTimeoutMs: number;
  targetStartMs: number;
  totalMs: number;
}

/**
 * ingest runner events → lines on stderr, with an ETA from the planned steps scaled by the pace so
 * far, and the estimated total corrected once it proves more than 25% off.
 */
export class IngestProgress {
  private done = 0;
  private planned: number;
  private lastProgressLine = 0;
  private readonly total: EstimatedTotal;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly plan: IngestProgressPlan,
    now: () => number = Date.now,
  ) {
    this.planned = plan.steps;
    this.total = new EstimatedTotal(plan.totalMs, now);
  }

  handle(event: IngestEvent): void {
    switch (event.type) {
      case "target":
        this.total.targetStarting();
        return this.line(`[ingest] ${event.message}`);
      case "ready": {
        this.total.targetReady(this.plan.targetStartMs);
        const config = Object.entries(event.target.freshnessConfig)
          .map(
            ([section, values]) =>
              `[${section}] ${Object.keys(values).length > 0 ? JSON.stringify(values) : "defaults"}`,
          )
          .join(" ");
        this.line(
          `[ingest] CouchDB ${event.target.couchdbVersion} at ${event.target.url}; servers ${event.servers.join(", ")}`,
        );
        this.line(`[ingest] ${config}`);
        for (const { server, reason } of event.missing) this.line(`[ingest] ${server} skipped: ${reason}`);
        return;
      }
      case "step-start":
        if (this.done >= this.planned) {
          // A search longer than expected (a knee outside the rates): one more step than planned.
          this.planned = this.done + 1;
          this.total.replan(this.total.estimatedMs + this.plan.stepMs);
        }
        this.lastProgressLine = 0;
        return this.line(
          `  ${seriesLabel(event.server, event.config)} @ ${event.rate.toLocaleString("en-US")} docs/s${event.searched ? " (--find-max)" : ""}  [${this.done + 1}/${this.planned}${event.searched ? "+" : ""}, ETA ${seconds(this.total.remainingMs())}]`,
        );
      case "step-progress": {
        const now = Date.now();
        if (now - this.lastProgressLine < 10_000) return;
        this.lastProgressLine = now;
        const { progress } = event;
        return this.line(
          `      ${progress.phase} ${seconds(progress.elapsedMs)}: ${progress.docsAcked.toLocaleString("en-US")} docs acknowledged${progress.lastLagMs !== undefined ? `, newest lag ${seconds(progress.lastLagMs)}` : ""}`,
        );
      }
      case "step": {
        this.done++;
        // A step's drain is a measurement, not the machine's pace: the step counts with the drain it had
        // (steps at low rates drain at once, those past the knee for seconds), the ones ahead with the expected.
        const drainedMs =
          event.step.outcome === "errored" ? undefined : (event.step.drainMs ?? this.plan.drainTimeoutMs);
        const surplusMs = drainedMs === undefined ? 0 : drainedMs - this.plan.expectedDrainMs;
        this.total.replan(this.total.estimatedMs + surplusMs);
        this.total.done(this.plan.stepMs + surplusMs);
        this.line(`    → ${describeStep(event.step)}`);
        // As run's: said once a step shows the pace, and again only if it moves another 25%.
        const correction = this.done < this.planned ? this.total.correction() : undefined;
        if (correction) this.line(`  ${correction}`);
        return;
      }
    }
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}

/** One line per step: the outcome and the numbers that decided it. */
export function describeStep(step: IngestStep): string {
  if (step.outcome === "errored") return `ERROR: ${step.error ?? "unknown"}`;
  const lag = step.lag;
  const parts = [
    `achieved ${Math.round(step.achievedRate ?? 0).toLocaleString("en-US")}/s`,
    `write p50/p99 ${ms(step.writeLatency?.p50Ms)}/${ms(step.writeLatency?.p99Ms)}`,
    lag && lag.count > 0
      ? `lag p50/p95/max ${ms(lag.p50Ms)}/${ms(lag.p95Ms)}/${ms(lag.maxMs)} (±${ms(step.lagResolutionMs?.p50Ms)})`
      : "no lag measured",
    ...(step.readLatency ? [`read p50/p95 ${ms(step.readLatency.p50Ms)}/${ms(step.readLatency.p95Ms)}`] : []),
    step.drainMs !== undefined ? `drain ${ms(step.drainMs)}` : "did not drain",
  ];
  const verdict = step.outcome === "sustained" ? "sustained" : `NOT sustained (${step.reasons.join("; ")})`;
  return `${verdict}: ${parts.join(", ")}`;
}

function ms(value: number | undefined): string {
  if (value === undefined) return "–";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
