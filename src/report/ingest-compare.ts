/**
 * `couchbench compare` on two ingest results files: per target and series (server, and with
 * `--config` its combination of settings: a series is matched only to the same one), the sustainable
 * rate (the knee) and, per rate measured in both, lag p50/p95/p99. A regression is a
 * sustainable rate that fell by more than the threshold. `--find-max` brackets a knee to ±10%,
 * so thresholds below 20% flag noise.
 */
import type { IngestKnee, IngestResults, IngestStep } from "../results/ingest-format.js";
import { formatChange, formatMs } from "./format.js";
import { ingestSeriesLabel, kneeText } from "./ingest-markdown.js";
import { configLabel } from "./points.js";

export interface IngestComparison {
  rows: Array<{
    /** The server, with `--config` its combination: `javascript · queue_memory_cap=100000`. */
    series: string;
    server: string;
    targetId: string;
    baseline: string;
    current: string;
    /** current ÷ baseline sustainable rate, when both have one. */
    ratio?: number;
    regression: boolean;
    lag: Array<{
      rate: number;
      baselineP95Ms: number;
      currentP95Ms: number;
      baselineP50Ms: number;
      currentP50Ms: number;
      baselineP99Ms: number;
      currentP99Ms: number;
    }>;
  }>;
  regressions: number;
  threshold: number;
}

export function compareIngest(baseline: IngestResults, current: IngestResults, threshold: number): IngestComparison {
  const rows = current.knees.flatMap((knee) => {
    const before = baseline.knees.find((other) => sameSeries(other, knee));
    if (!before) return [];
    const ratio =
      before.sustainableRate && knee.sustainableRate ? knee.sustainableRate / before.sustainableRate : undefined;
    const lost = before.sustainableRate !== undefined && knee.status === "below";
    return [
      {
        series: ingestSeriesLabel(knee),
        server: knee.server,
        targetId: knee.targetId,
        baseline: kneeText(before),
        current: kneeText(knee),
        ...(ratio !== undefined ? { ratio } : {}),
        regression: lost || (ratio !== undefined && ratio < 1 - threshold && knee.status !== "above"),
        lag: lagPairs(baseline.steps, current.steps, knee),
      },
    ];
  });
  return { rows, regressions: rows.filter((row) => row.regression).length, threshold };
}

/** Same target, server and settings (a step or a knee). */
function sameSeries(a: Pick<IngestStep, "targetId" | "server" | "config">, b: IngestKnee): boolean {
  return a.targetId === b.targetId && a.server === b.server && configLabel(a.config) === configLabel(b.config);
}

function lagPairs(
  before: readonly IngestStep[],
  after: readonly IngestStep[],
  knee: IngestKnee,
): IngestComparison["rows"][number]["lag"] {
  const own = (steps: readonly IngestStep[]) =>
    steps.filter((step) => sameSeries(step, knee) && step.lag && step.lag.count > 0);
  const earlier = own(before);
  return own(after)
    .sort((a, b) => a.rate - b.rate)
    .flatMap((step) => {
      const match = earlier.find((other) => other.rate === step.rate);
      if (!match) return [];
      return [
        {
          rate: step.rate,
          baselineP50Ms: match.lag!.p50Ms,
          currentP50Ms: step.lag!.p50Ms,
          baselineP95Ms: match.lag!.p95Ms,
          currentP95Ms: step.lag!.p95Ms,
          baselineP99Ms: match.lag!.p99Ms,
          currentP99Ms: step.lag!.p99Ms,
        },
      ];
    });
}

export function renderIngestComparison(comparison: IngestComparison, markdown: boolean): string {
  const lines: string[] = [];
  const table = (headers: string[], rows: string[][]) => {
    if (markdown) {
      lines.push(
        `| ${headers.join(" | ")} |`,
        `|${headers.map(() => "---").join("|")}|`,
        ...rows.map((row) => `| ${row.join(" | ")} |`),
      );
    } else {
      const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
      for (const row of [headers, ...rows])
        lines.push(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join("  ")
            .trimEnd(),
        );
    }
    lines.push("");
  };
  lines.push(markdown ? "## Sustainable rate" : "Sustainable rate", "");
  table(
    ["server", "baseline", "current", "change", "verdict"],
    comparison.rows.map((row) => [
      row.series,
      row.baseline,
      row.current,
      row.ratio !== undefined ? formatChange(row.ratio) : "–",
      row.regression ? `REGRESSION (over ${Math.round(comparison.threshold * 100)}% lower)` : "ok",
    ]),
  );
  const lagRows = comparison.rows.flatMap((row) =>
    row.lag.map((pair) => [
      row.series,
      `${pair.rate}/s`,
      `${formatMs(pair.baselineP50Ms)} → ${formatMs(pair.currentP50Ms)}`,
      `${formatMs(pair.baselineP95Ms)} → ${formatMs(pair.currentP95Ms)} (${formatChange(pair.currentP95Ms / Math.max(pair.baselineP95Ms, 1e-3))})`,
      `${formatMs(pair.baselineP99Ms)} → ${formatMs(pair.currentP99Ms)}`,
    ]),
  );
  if (lagRows.length > 0) {
    lines.push(
      markdown ? "## View lag at the rates both runs measured" : "View lag at the rates both runs measured",
      "",
    );
    table(["server", "rate", "lag p50", "lag p95", "lag p99"], lagRows);
  }
  lines.push(`${comparison.regressions} regression(s)`);
  return `${lines.join("\n")}\n`;
}
