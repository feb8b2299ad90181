/** qs-bench's table for stdout: results → text, nothing measured or printed here. */
import type { QsBenchResult, ServerSummary } from "../results/qs-bench-format.js";

const COLUMNS: { title: string; cell: (summary: ServerSummary) => string }[] = [
  { title: "start-up ms", cell: (s) => s.startupMs.toFixed(0) },
  { title: "docs/s", cell: (s) => s.docsPerSecond.toFixed(0) },
  { title: "MB/s", cell: (s) => s.megabytesPerSecond.toFixed(2) },
  { title: "p50 ms", cell: (s) => s.latencyP50Ms.toFixed(3) },
  { title: "p99 ms", cell: (s) => s.latencyP99Ms.toFixed(3) },
  { title: "reduce ms", cell: (s) => s.reduceMs.toFixed(0) },
  { title: "CPU s", cell: (s) => (s.cpuMs === null ? "n/a" : (s.cpuMs / 1000).toFixed(2)) },
  { title: "peak MB", cell: (s) => (s.peakMemoryBytes === null ? "n/a" : (s.peakMemoryBytes / 1e6).toFixed(0)) },
  { title: "map time ×", cell: (s) => s.relativeMapTime.toFixed(2) },
];

export function renderTable(result: QsBenchResult): string {
  const { settings } = result;
  const rows = [
    ["server", ...COLUMNS.map((column) => column.title)],
    ...result.servers.map((server) => [server.name, ...COLUMNS.map((column) => column.cell(server.summary))]),
  ];
  const widths = rows[0]!.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join("  "),
  );
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  return [
    `${settings.docs} ${settings.dataset} docs, ${settings.designDoc}, medians of ${settings.repeat} repeat(s); map time × relative to ${settings.baseline}`,
    ...lines,
    "",
  ].join("\n");
}
