import type { AdviseEvent } from "../bench/advise/advise-runner.js";
import {
  adviseBuildMs,
  estimateAdviseMs,
  scratchDatabaseCount,
  type AdviseEstimateInputs,
} from "../bench/advise/advise-plan.js";
import type { DerivedVariants, Variant } from "../bench/advise/variants.js";
import { seconds } from "./duration-text.js";
import { EstimatedTotal } from "./estimated-total.js";

export interface AdvisePlanText {
  title: string;
  target: string;
  dataset: string;
  derived: DerivedVariants;
  repeat: number;
  databases: number;
  estimateMs: number;
  /** True before CouchDB was reached: availability of query servers and q are assumed. */
  assumed: boolean;
}

export function printAdvisePlan(out: NodeJS.WritableStream, plan: AdvisePlanText): void {
  const all = [plan.derived.original, ...plan.derived.variants];
  const lines = [
    plan.title,
    `  CouchDB:    ${plan.target}`,
    `  documents:  ${plan.dataset} in ${plan.databases} scratch database${plan.databases > 1 ? "s" : ""} (never your own)`,
    `  variants${plan.assumed ? " (assuming every query server and q=2 until CouchDB answers)" : ""}:`,
    ...all.map(
      (variant) =>
        `    ${variant.id.padEnd(18)} ${variant.title}${variant.readers.startsWith("nothing") ? "" : `  [readers: ${variant.readers}]`}`,
    ),
    ...plan.derived.skipped.map((note) => `    not offered: ${note}`),
    `  builds:     ${all.length * plan.repeat} (${plan.repeat} per variant, order rotated) + ${2 * plan.repeat} of the advised design doc beside the original`,
    `  estimated:  ${seconds(plan.estimateMs)}`,
  ];
  out.write(`${lines.join("\n")}\n`);
}

/**
 * advise runner events → lines on stderr, with an ETA from the plan's estimate scaled by the pace so
 * far, and the estimated total corrected once it proves more than 25% off.
 */
export class AdviseProgress {
  plannedBuilds = 0;
  private done = 0;
  private all: Variant[] = [];
  /** Set once CouchDB answered with the real plan. */
  private total: EstimatedTotal | undefined;
  /** After the `combined` event: the original's builds are the ones beside the advised design doc. */
  private combining = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly estimate: AdviseEstimateInputs,
    private readonly now: () => number = Date.now,
    private readonly startedAt: number = now(),
  ) {}

  handle(event: AdviseEvent): void {
    switch (event.type) {
      case "target":
        return this.line(`[advise] ${event.message}`);
      case "plan": {
        this.all = [event.derived.original, ...event.derived.variants];
        this.plannedBuilds = (this.all.length + 2) * this.estimate.repeat;
        const estimatedMs = estimateAdviseMs(this.all, this.estimate);
        // Counted from the run's start, which the start-up (now done, for what it took) is part of.
        this.total = new EstimatedTotal(estimatedMs, this.now, this.startedAt);
        this.total.targetReady(this.estimate.targetStartMs);
        return printAdvisePlan(this.out, {
          title: `plan on this CouchDB (original q=${event.context.defaultQ}${event.context.hostCores ? `, host cores ${event.context.hostCores}` : ""}; servers ${event.context.availableServers.join(", ")}):`,
          target: "as started",
          dataset: "as above",
          derived: event.derived,
          repeat: this.estimate.repeat,
          databases: scratchDatabaseCount(this.all),
          estimateMs: estimatedMs,
          assumed: false,
        });
      }
      case "resumed": {
        // The kept builds are not made again: their share of the estimate, on average, is not ahead.
        const total = this.total!;
        const perBuild = (total.estimatedMs - this.estimate.targetStartMs) / this.plannedBuilds;
        total.replan(total.estimatedMs - event.builds * perBuild);
        this.plannedBuilds -= event.builds;
        return this.line(`  resuming: ${event.builds} build(s) of the interrupted run are kept`);
      }
      case "loading":
        return this.line(`  loading ${event.db} (q=${event.q}, ids ${event.ids})`);
      case "load-progress":
        return;
      case "build": {
        this.done++;
        const role = event.variant.kind === "combined" ? "combined" : this.combining ? "beside" : "variant";
        this.total?.done(adviseBuildMs(this.all, event.variant, event.repeat, role, this.estimate));
        this.line(
          `  ${`${event.variant.id} #${event.repeat}`.padEnd(22)} ${event.build ? `build ${seconds(event.build.ms)}` : `FAILED: ${event.error}`}${this.eta()}`,
        );
        return this.correctEstimate();
      }
      case "checked":
        return this.line(
          `  ${event.variant.id.padEnd(22)} output ${event.output.status === "match" ? `✓ ${event.output.detail ?? "same as the original"}` : `DIFFERS: ${event.output.detail}`}`,
        );
      case "combined":
        this.combining = true;
        this.plannedBuilds = this.done + 2 * this.estimate.repeat;
        return this.line(
          `  building the advised design doc: ${event.changes.map(({ change }) => change.kind).join(", ")}`,
        );
    }
  }

  private eta(): string {
    if (this.done >= this.plannedBuilds || !this.total) return "";
    return `  [${this.done}/${this.plannedBuilds}, ETA ${seconds(this.total.remainingMs())}]`;
  }

  /** As run's: said once the first builds show the pace, and again only if it moves another 25%. */
  private correctEstimate(): void {
    if (this.done < 2 || this.done >= this.plannedBuilds) return;
    const correction = this.total?.correction();
    if (correction) this.line(`  ${correction}`);
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}
