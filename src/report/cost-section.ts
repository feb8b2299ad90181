/**
 * The report's "What the builds cost": per point (every server of one dataset, size, q, design
 * doc and CouchDB), a bar chart row per server — CPU split (beam, query servers, the rest of the
 * wall time), peak RSS (beam and query servers), index size, peak disk growth and, with
 * `--compact`, compaction time and compacted size. Bars of one column share a scale within a point.
 */
import type { ResultsFile } from "../results/results-format.js";
import { runWarnings } from "./cost-text.js";
import { formatBytes, formatMs } from "./format.js";
import { escapeHtml, htmlTable } from "./html-parts.js";
import { pointCost, type PointCost } from "./point-cost.js";
import { collectPoints, shardsLabel, type Point } from "./points.js";

const COLOURS = { beam: "#59a14f", queryServers: "#4e79a7", rest: "#d7d2cc", single: "#9c755f" };

interface Segment {
  label: string;
  value: number;
  colour: string;
}

interface Chart {
  title: string;
  format: (value: number) => string;
  segments: (cost: PointCost) => Segment[] | undefined;
}

const CHARTS: readonly Chart[] = [
  {
    title: "CPU: beam / query servers / rest of wall time",
    format: formatMs,
    segments: (c) =>
      c.beamCpuMs === undefined || c.queryServerCpuMs === undefined
        ? undefined
        : [
            { label: "beam CPU", value: c.beamCpuMs, colour: COLOURS.beam },
            { label: "query-server CPU", value: c.queryServerCpuMs, colour: COLOURS.queryServers },
            {
              label: "rest of the wall time",
              value: Math.max(0, c.wallMs - c.beamCpuMs - c.queryServerCpuMs),
              colour: COLOURS.rest,
            },
          ],
  },
  {
    title: "Peak RSS: beam / query servers",
    format: formatBytes,
    segments: (c) =>
      c.beamPeakRssBytes === undefined
        ? c.erlangMemoryPeakBytes === undefined
          ? undefined
          : [{ label: "Erlang memory (_system)", value: c.erlangMemoryPeakBytes, colour: COLOURS.beam }]
        : [
            { label: "beam", value: c.beamPeakRssBytes, colour: COLOURS.beam },
            { label: "query servers", value: c.queryServerPeakRssBytes ?? 0, colour: COLOURS.queryServers },
          ],
  },
  { title: "Index size", format: formatBytes, segments: (c) => one("index file", c.indexFileBytes) },
  { title: "Peak disk growth", format: formatBytes, segments: (c) => one("peak growth", c.peakDiskGrowthBytes) },
  { title: "Compaction time", format: formatMs, segments: (c) => one("compaction", c.compactionMs) },
  { title: "Compacted size", format: formatBytes, segments: (c) => one("after compaction", c.compactedFileBytes) },
];

function one(label: string, value: number | undefined): Segment[] | undefined {
  return value === undefined ? undefined : [{ label, value, colour: COLOURS.single }];
}

export function costSection(files: readonly ResultsFile[]): string {
  const groups = new Map<string, Array<{ point: Point; cost: PointCost }>>();
  for (const point of files.flatMap((file) => collectPoints(file))) {
    const cost = pointCost(point);
    if (!cost) continue;
    const key = groupTitle(point);
    groups.set(key, [...(groups.get(key) ?? []), { point, cost }]);
  }
  const warnings = files.flatMap(runWarnings);
  const warningHtml = warnings
    .map((w) => `<p class="note-warning"><strong>warning:</strong> ${escapeHtml(w)}</p>`)
    .join("\n");
  const intervalMs = files.flatMap((file) => file.measurements).find((m) => m.build?.cost)?.build
    ?.cost?.sampleIntervalMs;
  const tables = [...groups].map(([title, rows]) => {
    const charts = CHARTS.filter((chart) => rows.some(({ cost }) => chart.segments(cost)));
    const widest = charts.map((chart) =>
      Math.max(...rows.map(({ cost }) => (chart.segments(cost) ?? []).reduce((sum, s) => sum + s.value, 0))),
    );
    const table = htmlTable(
      ["Server", ...charts.map((chart) => chart.title)],
      rows.map(({ point, cost }) => ({
        cells: [
          point.server + (cost.restartedBuilds ? " ⚠ restart" : "") + (cost.busyBuilds ? " ⚠ busy" : ""),
          ...charts.map((chart, i) => ({ html: bar(chart, chart.segments(cost), widest[i]!) })),
        ],
      })),
    );
    return `<h3>${escapeHtml(title)}</h3>\n${table}`;
  });
  const body = tables.length
    ? tables.join("\n")
    : "<p>No build costs were recorded (files from before couchbench measured them).</p>";
  return `<section id="cost">
<h2>What the builds cost</h2>
${warningHtml}
${body}
<p class="hint">Medians over each point's builds. CPU from Linux's /proc: the Erlang VM (beam) itself, and every process below it (the query servers); the grey rest is wall time neither used — waiting on the other, on disk, or on other processes (CPU can exceed the wall time on several cores). Peak RSS, index disk and Erlang memory are sampled every ${intervalMs !== undefined ? formatMs(intervalMs) : "interval"} during the build (shorter peaks can be missed); the query servers' RSS counts only the processes that served the build. Index size from <code>_info</code> <code>sizes.file</code>; peak disk is the largest growth of the database's index directories, <code>.compact</code> files included. A url target records only what CouchDB's API gives (index size, Erlang memory).</p>
</section>`;
}

function groupTitle(point: Point): string {
  return `${point.dataset} × ${point.docCount.toLocaleString("en-US")}, ${shardsLabel(point, " · ")}${point.designDoc ? `, ${point.designDoc}` : ""}${point.ids ? `, ${point.ids} ids` : ""} — CouchDB ${point.couchdbVersion} (${point.runId})`;
}

function bar(chart: Chart, all: Segment[] | undefined, widest: number): string {
  // A zero part (no wall time beyond the CPU time) is left out rather than printed as "0 ms".
  const segments = all?.filter((s) => s.value > 0);
  if (!segments?.length || widest <= 0) return "—";
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  const title = segments.map((s) => `${s.label} ${chart.format(s.value)}`).join(", ");
  const spans = segments
    .map((s) => `<span style="width:${((s.value / widest) * 100).toFixed(2)}%;background:${s.colour}"></span>`)
    .join("");
  const label =
    all!.length > 1 ? all!.map((s) => (s.value > 0 ? chart.format(s.value) : "–")).join(" / ") : chart.format(total);
  return `<div class="split cost" title="${escapeHtml(title)}">${spans}</div><small>${escapeHtml(label)}</small>`;
}
