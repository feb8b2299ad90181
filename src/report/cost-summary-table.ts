/**
 * The run summary's cost table (medians per point: CPU of beam and query servers, peak RSS, index
 * size, peak disk, compaction) and its warnings. Columns appear only when some point has them.
 */
import type { ResultsFile } from "../results/results-format.js";
import { runWarnings } from "./cost-text.js";
import { formatBytes, formatMs } from "./format.js";
import { pointColumns } from "./point-columns.js";
import { pointCost, type PointCost } from "./point-cost.js";
import { collectPoints } from "./points.js";
import { markdownTable, type Column } from "./table-format.js";

const COST_COLUMNS: ReadonlyArray<[Column, (cost: PointCost) => string | undefined]> = [
  [{ title: "CPU beam", align: "right" }, (c) => ms(c.beamCpuMs)],
  [{ title: "CPU query servers", align: "right" }, (c) => ms(c.queryServerCpuMs)],
  [{ title: "Peak RSS beam", align: "right" }, (c) => bytes(c.beamPeakRssBytes)],
  [
    { title: "Peak RSS query servers (largest)", align: "right" },
    (c) =>
      c.queryServerPeakRssBytes === undefined
        ? undefined
        : `${formatBytes(c.queryServerPeakRssBytes)} (${formatBytes(c.queryServerLargestRssBytes ?? 0)})`,
  ],
  [
    { title: "Peak Erlang memory", align: "right" },
    (c) => (c.beamPeakRssBytes === undefined ? bytes(c.erlangMemoryPeakBytes) : undefined),
  ],
  [{ title: "Index", align: "right" }, (c) => bytes(c.indexFileBytes)],
  [
    { title: "Peak disk", align: "right" },
    (c) => (c.peakDiskGrowthBytes === undefined ? undefined : `+${formatBytes(c.peakDiskGrowthBytes)}`),
  ],
  [{ title: "Compaction", align: "right" }, (c) => ms(c.compactionMs)],
  [{ title: "Compacted", align: "right" }, (c) => bytes(c.compactedFileBytes)],
];

const ms = (value: number | undefined) => (value === undefined ? undefined : formatMs(value));
const bytes = (value: number | undefined) => (value === undefined ? undefined : formatBytes(value));

/** Lines to append to a file's summary: the cost table and the warnings; none for files without costs or warnings. */
export function costSummary(file: ResultsFile): string[] {
  return [...costTable(file), ...runWarningLines(file)];
}

/** The run-level warnings as Markdown quotes, after a blank line; none when there are none. */
export function runWarningLines(file: ResultsFile): string[] {
  const warnings = runWarnings(file).map((warning) => `> **warning:** ${warning}`);
  return warnings.length ? ["", ...warnings] : [];
}

/** "What the builds cost (medians):" and its table, after a blank line; none for files without costs. */
export function costTable(file: ResultsFile): string[] {
  const rows = collectPoints(file).flatMap((point) => {
    const cost = pointCost(point);
    return cost ? [{ point, cost }] : [];
  });
  if (rows.length === 0) return [];
  const shown = COST_COLUMNS.filter(([, cell]) => rows.some(({ cost }) => cell(cost) !== undefined));
  const point = pointColumns(rows.map((row) => row.point));
  const table = markdownTable(
    [...point.columns, ...shown.map(([column]) => column)],
    rows.map(({ point: p, cost }) => [...point.cells(p), ...shown.map(([, cell]) => cell(cost) ?? "—")]),
  );
  return ["", "What the builds cost (medians):", "", table];
}
