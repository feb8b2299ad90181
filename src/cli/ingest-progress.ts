import type { IngestEvent } from "../bench/ingest/ingest-runner.js";
import type { IngestStep } from "../results/ingest-format.js";
import { seconds } from "./run-progress.js";
import { seriesLabel } from "../couch/config-settings.js";

/** ingest runner events → lines on stderr, with an ETA from the planned steps, scaled by the pace so far. */
export class IngestProgress {
  private done = 0;
  private lastProgressLine = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private planned: number,
    private readonly estimatedStepMs: number,
  ) {}

  handle(event: IngestEvent): void {
    switch (event.type) {
      case "target":
        return this.line(`[ingest] ${event.message}`);
      case "ready": {
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
        if (this.done >= this.planned) this.planned = this.done + 1;
        this.lastProgressLine = 0;
        return this.line(
          `  ${seriesLabel(event.server, event.config)} @ ${event.rate.toLocaleString("en-US")} docs/s${event.searched ? " (--find-max)" : ""}  [${this.done + 1}/${this.planned}${event.searched ? "+" : ""}, ETA ${seconds(this.remainingMs())}]`,
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
      case "step":
        this.done++;
        return this.line(`    → ${describeStep(event.step)}`);
    }
  }

  private remainingMs(): number {
    const left = Math.max(0, this.planned - this.done);
    const perStep = this.done > 0 ? (Date.now() - this.startedAt) / this.done : this.estimatedStepMs;
    return left * perStep;
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
