import { buildWarnings, describeCost } from "../report/cost-text.js";
import type { RunEvent } from "../bench/runner.js";
import type { Measurement } from "../results/results-format.js";
import { seriesLabel } from "../couch/config-settings.js";
import { seconds } from "./duration-text.js";
import { EstimatedTotal } from "./estimated-total.js";

/**
 * Turns runner events into terminal output on stderr: a redrawn bar on a TTY, plain lines
 * otherwise (CI logs). Knows nothing about how measurements are made.
 */
export class RunProgress {
  private completed = 0;
  private lineOpen = false;
  private readonly total: EstimatedTotal;

  /**
   * `estimateMs(measurement)` is the plan's expected time of one build, `targetStartMs` of one
   * target's start-up (both are in `estimatedTotalMs`): the ETA scales what is left of the plan by
   * how fast the run has been so far, so large final points are not underestimated.
   */
  constructor(
    private readonly plannedBuilds: number,
    estimatedTotalMs: number,
    private readonly estimateMs: (measurement: Measurement) => number,
    private readonly targetStartMs: number,
    private readonly out: Pick<NodeJS.WriteStream, "write" | "isTTY"> = process.stderr,
    now: () => number = Date.now,
  ) {
    this.total = new EstimatedTotal(estimatedTotalMs, now);
  }

  /** The build in progress, as its bar names it. */
  private building = "";

  handle(event: RunEvent): void {
    switch (event.type) {
      case "target":
        this.total.targetStarting();
        return this.line(`[${event.targetId}] ${event.message}`);
      case "target-ready": {
        // The start-up just finished counts as done, for what it took: it counts in the total.
        this.total.targetReady(this.targetStartMs);
        const t = event.target;
        this.line(
          `[${t.id}] CouchDB ${t.couchdbVersion}${t.gitSha ? ` (${t.gitSha})` : ""}${t.jsEngine ? `, ${t.jsEngine}` : ""} at ${t.url}; query servers: ${t.availableServers.join(", ") || "none"}`,
        );
        for (const { server, reason } of event.missing)
          this.line(`[${t.id}] warning: ${server} unavailable (${reason}); its builds are recorded as skipped`);
        for (const { server, designDoc, reason } of event.rejected)
          this.line(
            `[${t.id}] warning: design doc ${designDoc}: ${reason}; its ${server} builds are recorded as skipped — fix the function`,
          );
        return;
      }
      case "point":
        return this.line(
          `[${event.targetId}] q=${event.point.q} ${event.point.dataset} × ${event.point.docCount.toLocaleString("en-US")}: loading`,
        );
      case "load-progress":
        return this.bar("load", event.docsDone, event.docsTotal);
      case "loaded":
        return this.line(
          `  loaded ${event.load.docCount.toLocaleString("en-US")} docs (${(event.load.bytes / 1e6).toFixed(1)} MB) in ${seconds(event.load.ms)} — ${Math.round(event.load.docsPerSec).toLocaleString("en-US")} docs/s${event.load.retries ? `, ${event.load.retries} retries` : ""}`,
        );
      case "build-start":
        this.building = `${event.server}${event.config ? ` · ${event.config}` : ""} #${event.repeat}`;
        return this.bar(this.building, 0, 1);
      case "build-progress":
        return this.bar(this.building, event.progress.changesDone, event.progress.totalChanges);
      case "measurement":
        this.completed++;
        this.total.done(this.estimateMs(event.measurement));
        this.line(`  ${describeMeasurement(event.measurement)}${this.eta()}`);
        this.costLines(event.measurement);
        return this.correctEstimate();
      case "rebuild":
        return this.bar(`rebuilding ${event.key} for its update`, 0, 1);
      case "update":
        return;
    }
  }

  /** Under the build's line: what it cost, and any reason not to trust it. */
  private costLines(m: Measurement): void {
    const cost = describeCost(m);
    if (cost) this.line(`${" ".repeat(19)}${cost}`);
    for (const warning of buildWarnings(m)) this.line(`${" ".repeat(19)}⚠ ${warning}`);
  }

  private eta(): string {
    if (this.completed >= this.plannedBuilds) return "";
    return `  [${this.completed}/${this.plannedBuilds}, ETA ${seconds(this.total.remainingMs())}]`;
  }

  /** A far-off estimate is corrected once the first builds show the pace (not after the last). */
  private correctEstimate(): void {
    if (this.completed < 2 || this.completed >= this.plannedBuilds) return;
    const correction = this.total.correction();
    if (correction) this.line(`  ${correction}`);
  }

  private bar(label: string, done: number, total: number): void {
    if (!this.out.isTTY) return;
    const width = 30;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    this.out.write(
      `\r\x1b[2K  ${label.padEnd(16)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`,
    );
    this.lineOpen = true;
  }

  private line(text: string): void {
    if (this.lineOpen) this.out.write("\r\x1b[2K");
    this.lineOpen = false;
    this.out.write(`${text}\n`);
  }
}

function describeMeasurement(m: Measurement): string {
  const name = `${seriesLabel(m.server, m.config)} #${m.repeat}`.padEnd(16);
  if (m.status !== "completed" || !m.build) return `${name} ${m.status}: ${m.error ?? ""}`;
  const verdict =
    m.correctness.status === "mismatch"
      ? `  ERROR: view output differs from ${m.correctness.comparedWith} (${m.correctness.detail})`
      : m.correctness.status === "match"
        ? "  output ✓"
        : "";
  const leftOut = Object.entries(m.leftOut?.byView ?? {})
    .filter(([, docs]) => docs > 0)
    .map(([view, docs]) => `  ${docs} of ${m.docCount} docs left out of ${view} (its map threw)`)
    .join("");
  return `${name} build ${seconds(m.build.ms)}  ${Math.round(m.build.docsPerSec).toLocaleString("en-US")} docs/s  ${m.build.mbPerSec.toFixed(1)} MB/s${verdict}${leftOut}`;
}
