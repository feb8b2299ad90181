import type { AdviseEvent } from "../bench/advise/advise-runner.js";
import { scratchDatabaseCount } from "../bench/advise/advise-plan.js";
import type { DerivedVariants, Variant } from "../bench/advise/variants.js";
import { seconds } from "./run-progress.js";

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

/** advise runner events → lines on stderr, with an ETA scaled by the pace so far. */
export class AdviseProgress {
  plannedBuilds = 0;
  private done = 0;
  private estimatedMs = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly estimate: (variants: Variant[]) => number,
    private readonly repeat: number,
  ) {}

  handle(event: AdviseEvent): void {
    switch (event.type) {
      case "target":
        return this.line(`[advise] ${event.message}`);
      case "plan": {
        const all = [event.derived.original, ...event.derived.variants];
        this.plannedBuilds = (all.length + 2) * this.repeat;
        this.estimatedMs = this.estimate(all);
        return printAdvisePlan(this.out, {
          title: `plan on this CouchDB (original q=${event.context.defaultQ}${event.context.hostCores ? `, host cores ${event.context.hostCores}` : ""}; servers ${event.context.availableServers.join(", ")}):`,
          target: "as started",
          dataset: "as above",
          derived: event.derived,
          repeat: this.repeat,
          databases: scratchDatabaseCount(all),
          estimateMs: this.estimatedMs,
          assumed: false,
        });
      }
      case "resumed":
        this.plannedBuilds -= event.builds;
        return this.line(`  resuming: ${event.builds} build(s) of the interrupted run are kept`);
      case "loading":
        return this.line(`  loading ${event.db} (q=${event.q}, ids ${event.ids})`);
      case "load-progress":
        return;
      case "build":
        this.done++;
        return this.line(
          `  ${`${event.variant.id} #${event.repeat}`.padEnd(22)} ${event.build ? `build ${seconds(event.build.ms)}` : `FAILED: ${event.error}`}${this.eta()}`,
        );
      case "checked":
        return this.line(
          `  ${event.variant.id.padEnd(22)} output ${event.output.status === "match" ? `✓ ${event.output.detail ?? "same as the original"}` : `DIFFERS: ${event.output.detail}`}`,
        );
      case "combined":
        this.plannedBuilds = this.done + 2 * this.repeat;
        return this.line(
          `  building the advised design doc: ${event.changes.map(({ change }) => change.kind).join(", ")}`,
        );
    }
  }

  private eta(): string {
    if (this.done >= this.plannedBuilds || this.plannedBuilds === 0) return "";
    const elapsed = Date.now() - this.startedAt;
    const remaining = (elapsed / this.done) * (this.plannedBuilds - this.done);
    return `  [${this.done}/${this.plannedBuilds}, ETA ${seconds(remaining)}]`;
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}
