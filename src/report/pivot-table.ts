/**
 * The summary's builds table pivoted (`report --format md --columns <dimension>`): one column per
 * value of a dimension (each server, CouchDB version, settings combination…), one row per
 * combination of the other dimensions the run varied, so a run of ids × design doc × server fits
 * a README. A cell is the build time, median (min–max), and the speed-up against the first column.
 */
import { problems } from "./check-text.js";
import { formatMs, formatRatio } from "./format.js";
import { POINT_DIMENSIONS, type PointColumn, type PointDimension } from "./point-columns.js";
import { pointKeyOf, type PointKey } from "./points.js";
import type { SummaryRow } from "./summary-rows.js";
import { markdownTable, type Column } from "./table-format.js";

interface Pivot {
  field: keyof PointKey;
  /** A column's title: the value, named where a bare number or word would not say what it is. */
  heading: (point: PointKey) => string;
}

const PIVOTS = {
  server: { field: "server", heading: POINT_DIMENSIONS.server.cell },
  couchdb: { field: "couchdbVersion", heading: (p) => `CouchDB ${p.couchdbVersion}` },
  ids: { field: "ids", heading: (p) => `${POINT_DIMENSIONS.ids.cell(p)} ids` },
  ddoc: { field: "designDoc", heading: POINT_DIMENSIONS.ddoc.cell },
  q: { field: "q", heading: (p) => `q${p.q}` },
  n: { field: "n", heading: (p) => `n${POINT_DIMENSIONS.n.cell(p)}` },
  config: { field: "config", heading: POINT_DIMENSIONS.config.cell },
} as const satisfies Record<string, Pivot>;

export type PivotDimension = keyof typeof PIVOTS;

/** The dimensions `--columns` takes, in the order --help lists them. */
export const PIVOT_DIMENSIONS = Object.keys(PIVOTS) as PivotDimension[];

/** Row labels always name the dataset and size; the other dimensions only when the run varied them. */
const ALWAYS_LABELLED: readonly PointDimension[] = ["dataset", "docs"];

/** The pivoted table and the sentence under it that says how to read a cell. */
export function pivotTable(rows: readonly SummaryRow[], dimension: PivotDimension): { table: string; legend: string } {
  const pivot: Pivot = PIVOTS[dimension];
  const columnOf = (row: SummaryRow) => String(row[pivot.field] ?? "");
  const labels = (Object.keys(POINT_DIMENSIONS) as PointDimension[])
    .filter((name) => name !== dimension)
    .filter((name) => ALWAYS_LABELLED.includes(name) || new Set(rows.map(POINT_DIMENSIONS[name].cell)).size > 1)
    .map((name): PointColumn => POINT_DIMENSIONS[name]);
  // Columns and rows in the summary's order: couchjs, the oldest version, the smallest q first.
  const columns = new Map(rows.map((row) => [columnOf(row), pivot.heading(row)]));
  const lines = new Map<string, Map<string, SummaryRow>>();
  for (const row of rows) {
    const { [pivot.field]: _column, ...rest } = pointKeyOf(row);
    const key = JSON.stringify(rest);
    const line = lines.get(key) ?? lines.set(key, new Map()).get(key)!;
    line.set(columnOf(row), row);
  }
  const [first] = columns.keys();
  const table = markdownTable(
    [...labels, ...[...columns.values()].map((title): Column => ({ title, align: "right" }))],
    [...lines.values()].map((line) => {
      const labelled = line.values().next().value!;
      return [
        ...labels.map((label) => label.cell(labelled)),
        ...[...columns.keys()].map((column) =>
          pivotCell(line.get(column), column === first ? undefined : line.get(first!)),
        ),
      ];
    }),
  );
  const against =
    columns.size > 1 ? ` · speed-up against ${columns.get(first!)} (its median ÷ this one's; above 1 is faster)` : "";
  return { table, legend: `Each cell: build time, median (min–max)${against}.` };
}

/** `1.26 s (1.05–1.41) · 1.40×`; `—` without a build; empty where the run has no such point. */
function pivotCell(row: SummaryRow | undefined, reference: SummaryRow | undefined): string {
  if (!row) return "";
  const build = row.buildMs;
  const parts = build
    ? [
        formatMs(build.median) + (build.n > 1 ? ` (${rangeText(build.min, build.max, build.median)})` : ""),
        ...(reference?.buildMs ? [formatRatio(reference.buildMs.median / build.median)] : []),
      ]
    : ["—"];
  return [...parts, ...problems(row)].join(" · ");
}

/** `1.05–1.41` when both ends share the median's unit, else `891 ms–1.41 s`. */
function rangeText(min: number, max: number, median: number): string {
  const [low, high, middle] = [min, max, median].map(formatMs) as [string, string, string];
  const unit = (text: string) => text.slice(text.lastIndexOf(" "));
  const number = (text: string) => text.slice(0, text.lastIndexOf(" "));
  return unit(low) === unit(middle) && unit(high) === unit(middle)
    ? `${number(low)}–${number(high)}`
    : `${low}–${high}`;
}
