/**
 * `ingest results → Markdown`: the sustainable rate per series (the knee: a server, with
 * `--config` a server under a combination of settings) in one sentence, the knee rule of the
 * mode, then a table per target of every step — or, pivoted, one row per offered rate and one
 * column per series, where a reader sees the knee as the row where ✓ turns ✗.
 */
import type { IngestKnee, IngestResults, IngestStep, IngestTarget } from "../results/ingest-format.js";
import { restoreText } from "./config-section.js";
import { formatCount, formatMs } from "./format.js";
import { configLabel, configShortLabel } from "./points.js";

/** The knee rule of each mode, as the report states it. */
export const KNEE_RULES = {
  reader:
    "Knee (reader mode): the highest offered rate at which the writer achieved ≥95% of it without errors, lag and read latency showed no upward trend over the step (Theil–Sen slope, 95% interval) and kept p95 under the max lag, and the backlog drained after the writes stopped; the first rate that failed any of these is given beside it.",
  background:
    "Knee (background mode): the highest offered rate at which the writer achieved ≥95% of it, the backlog stayed bounded (lag with no upward trend over the step) and drained after the writes stopped. There is no lag ceiling: CouchDB's background indexer (ken) sets the absolute lag — see its settings below.",
} as const;

export interface IngestMarkdownOptions {
  /** One column per series, one row per offered rate: the compact table (for a README). */
  pivot?: boolean;
}

export function renderIngestMarkdown(files: readonly IngestResults[], options: IngestMarkdownOptions = {}): string {
  return files.map((results) => renderOne(results, options)).join("\n");
}

function renderOne(results: IngestResults, options: IngestMarkdownOptions): string {
  const p = results.plan;
  const lines = [
    `## couchbench ingest ${results.runId} (${results.status})`,
    "",
    `${p.freshness} mode · ${p.write} writes · ${p.dataset} documents, ${designDocLabel(p.designDoc)}, ids ${p.ids}, q=${p.q}${p.n ? `, n=${p.n}` : ""} · ${formatMs(p.durationMs)} steps after ${formatMs(p.warmupMs)} warm-up · ${results.environment.cpuCores} CPUs`,
    "",
  ];
  for (const target of results.targets) {
    const knees = results.knees.filter((knee) => knee.targetId === target.id);
    const steps = results.steps
      .filter((step) => step.targetId === target.id)
      .sort(
        (a, b) =>
          a.server.localeCompare(b.server) ||
          configLabel(a.config).localeCompare(configLabel(b.config)) ||
          a.rate - b.rate,
      );
    lines.push(
      `**${sustainableSentence(knees)}** (CouchDB ${target.couchdbVersion}${results.targets.length > 1 ? ` — ${target.id}` : ""}${target.cluster ? `, ${target.cluster.nodeCount} nodes` : ""}, ${p.dataset}, ${designDocLabel(p.designDoc)}, q=${p.q}, ${results.environment.cpuCores} CPUs)`,
      "",
      // Two spaces: a Markdown line break, one line per combination. The compact table leaves out
      // the background indexer's settings where readers, not ken, keep the views fresh.
      ...(options.pivot && p.freshness === "reader" && !target.configured?.length
        ? []
        : [freshnessLines(target).join("  \n"), ""]),
      ...(options.pivot ? pivotTable(steps) : stepsTable(steps)),
      "",
    );
  }
  lines.push(
    ...(options.pivot
      ? [
          "Each cell: the view's lag behind the writes, p95, at that offered rate; ✓ sustained, ✗ not (why, and every other figure: `--format md` without `--columns`).",
        ]
      : [
          KNEE_RULES[p.freshness],
          "",
          `Lag resolution: a sentinel every ${p.sentinelIntervalMs} ms, polled every ${p.probeIntervalMs} ms with update=false; each lag is an upper bound, late by at most one poll interval plus one poll's duration (± in the table: the median gap).`,
        ]),
    "",
  );
  for (const note of results.notes) lines.push(`- ${note.level}: ${note.message}`);
  return `${lines.join("\n")}\n`;
}

/** "sustainable: javascript ~1,600 docs/s, typescript ≥3,200 docs/s, …" */
export function sustainableSentence(knees: readonly IngestKnee[]): string {
  if (knees.length === 0) return "sustainable: nothing measured yet";
  return `sustainable: ${knees.map((knee) => `${ingestSeriesLabel(knee)} ${kneeText(knee)}`).join(", ")}`;
}

/** `javascript · queue_memory_cap=100000`: a server, under its `--config` combination when it has one. */
export function ingestSeriesLabel(series: Pick<IngestStep, "server" | "config">): string {
  return series.config?.length ? `${series.server} · ${configShortLabel(configLabel(series.config))}` : series.server;
}

/**
 * The [ken] and [view_updater] settings in force: the server's own, and with `--config` those each combination left in
 * force, then whether every node got its previous values back.
 */
export function freshnessLines(target: IngestTarget): string[] {
  const own = `Background indexer settings${target.configured?.length ? " before --config" : ""}: ${freshnessConfigText(target.freshnessConfig)}`;
  return [
    own,
    ...(target.configured ?? []).map(
      (entry) => `Under ${configShortLabel(configLabel(entry.config))}: ${freshnessConfigText(entry.freshnessConfig)}`,
    ),
    ...(target.configRestore ? [`CouchDB settings afterwards (--config): ${restoreText(target.configRestore)}`] : []),
  ];
}

export function kneeText(knee: IngestKnee): string {
  switch (knee.status) {
    case "bracketed":
      return `~${formatCount(knee.sustainableRate!)} docs/s (not ${formatCount(knee.firstUnsustainedRate!)})`;
    case "above":
      return `≥${formatCount(knee.sustainableRate!)} docs/s (every rate held)`;
    case "below":
      return `<${formatCount(knee.firstUnsustainedRate!)} docs/s (no rate held)`;
    case "none":
      return "not measured";
  }
}

/** The columns of the steps table, Markdown and HTML alike. */
export const STEP_HEADERS = [
  "server",
  "offered/s",
  "achieved/s",
  "write p50 / p99",
  "lag p50 / p95 / p99 / max",
  "lag trend",
  "read p50 / p95",
  "drain",
  "outcome",
];

/** One step as plain-text cells under STEP_HEADERS. */
export function stepCells(step: IngestStep): string[] {
  const ms = (value: number | undefined) => (value === undefined ? "–" : formatMs(value));
  const lag = step.lag && step.lag.count > 0 ? step.lag : undefined;
  return [
    ingestSeriesLabel(step),
    formatCount(step.rate),
    step.achievedRate !== undefined ? formatCount(step.achievedRate) : "–",
    step.writeLatency ? `${ms(step.writeLatency.p50Ms)} / ${ms(step.writeLatency.p99Ms)}` : "–",
    lag
      ? `${ms(lag.p50Ms)} / ${ms(lag.p95Ms)} / ${ms(lag.p99Ms)} / ${ms(lag.maxMs)}${step.lagResolutionMs ? ` ±${ms(step.lagResolutionMs.p50Ms)}` : ""}`
      : "–",
    step.lagTrend ? `${step.lagTrend.slopeMsPerS.toFixed(1)} ms/s${step.lagTrend.growing ? " ↑ growing" : ""}` : "–",
    step.readLatency ? `${ms(step.readLatency.p50Ms)} / ${ms(step.readLatency.p95Ms)}` : "–",
    step.drainMs !== undefined ? ms(step.drainMs) : "–",
    step.outcome === "errored"
      ? `errored: ${step.error ?? ""}`
      : step.outcome === "sustained"
        ? "sustained"
        : `not sustained: ${step.reasons.join("; ")}`,
  ];
}

function stepsTable(steps: readonly IngestStep[]): string[] {
  return [`| ${STEP_HEADERS.join(" | ")} |`, "|---|--:|--:|--:|--:|--:|--:|--:|---|", ...steps.map(stepRow)];
}

/** Offered rates down, series across (in the steps' order); a series not offered a rate has an empty cell. */
function pivotTable(steps: readonly IngestStep[]): string[] {
  const series = [...new Set(steps.map(ingestSeriesLabel))];
  const rates = [...new Set(steps.map((step) => step.rate))].sort((a, b) => a - b);
  const cell = (label: string, rate: number): string => {
    const step = steps.find((s) => s.rate === rate && ingestSeriesLabel(s) === label);
    if (!step) return "";
    if (step.outcome === "errored") return "errored";
    const lag = step.lag && step.lag.count > 0 ? formatMs(step.lag.p95Ms) : "–";
    return `${step.outcome === "sustained" ? "✓" : "✗"} ${lag}`;
  };
  return [
    `| offered/s | ${series.join(" | ")} |`,
    `|--:|${series.map(() => "--:").join("|")}|`,
    ...rates.map((rate) => `| ${formatCount(rate)} | ${series.map((label) => cell(label, rate)).join(" | ")} |`),
  ];
}

function stepRow(step: IngestStep): string {
  return `| ${stepCells(step)
    .map((cell) => cell.replace(/\|/g, "\\|"))
    .join(" | ")} |`;
}

export function freshnessConfigText(config: Record<string, Record<string, string>>): string {
  return Object.entries(config)
    .map(([section, values]) => {
      const entries = Object.entries(values);
      return `[${section}] ${entries.length > 0 ? entries.map(([key, value]) => `${key}=${value}`).join(", ") : "CouchDB's defaults"}`;
    })
    .join("; ");
}

function designDocLabel(path: string): string {
  return path.replace(/^.*\//, "").replace(/\.json$/, "");
}
