/** The table and sentences both comparison formats (text, Markdown) print. */
import type { ComparedPoint, Comparison, UnmatchedPoint, Verdict } from "./compare.js";
import { describeDifferences } from "./environment-diff.js";
import { formatChange, formatCount, formatMs, formatRatio } from "./format.js";
import { pointColumns } from "./point-columns.js";
import type { Column } from "./table-format.js";

const RESULT_COLUMNS: Column[] = [
  { title: "Baseline", align: "right" },
  { title: "Current", align: "right" },
  { title: "Ratio", align: "right" },
  { title: "Interval", align: "right" },
  { title: "Change", align: "right" },
  { title: "Verdict" },
];

/** The comparison table's columns and rows, for a text or Markdown renderer. */
export function comparisonTable(points: readonly ComparedPoint[], verdicts: Record<Verdict, string>): { columns: Column[]; rows: string[][] } {
  const point = pointColumns(points);
  return { columns: [...point.columns, ...RESULT_COLUMNS], rows: points.map((p) => [...point.cells(p), ...resultCells(p, verdicts)]) };
}

function resultCells(point: ComparedPoint, verdicts: Record<Verdict, string>): string[] {
  const { interval } = point;
  return [
    `${formatMs(point.baseline.median)} (n=${point.baseline.n})`,
    `${formatMs(point.current.median)} (n=${point.current.n})`,
    formatRatio(interval.ratio),
    interval.resampled ? `${interval.low.toFixed(2)}–${interval.high.toFixed(2)}` : "n<2, none",
    formatChange(interval.ratio),
    verdicts[point.verdict],
  ];
}

export function unmatchedLine(point: UnmatchedPoint): string {
  const variant = [point.ids && `${point.ids} ids`, point.designDoc].filter(Boolean).join(", ");
  return `${point.dataset} ${formatCount(point.docCount)} docs, ${variant ? `${variant}, ` : ""}${point.server}, CouchDB ${point.couchdbVersion}, q=${point.q}: ${point.reason}`;
}

export function environmentWarning(comparison: Comparison): string | undefined {
  if (comparison.environment.length === 0) return undefined;
  return `runs are from different machines or CouchDB setups (${describeDifferences(comparison.environment)}); ratios mix hardware and code differences`;
}

export function conclusion(comparison: Comparison): string {
  const limit = `${formatChange(1 + comparison.threshold)} with ${Math.round(comparison.confidence * 100)}% confidence`;
  if (comparison.points.length === 0) return "No point was measured in both files: nothing to compare.";
  if (comparison.regressions === 0) return `No regression: no point is slower than ${limit}.`;
  const points = comparison.regressions === 1 ? "1 point is" : `${comparison.regressions} points are`;
  return `Regression: ${points} slower than ${limit}.`;
}

export function intervalNote(comparison: Comparison): string {
  return `Ratio = current / baseline median build time; interval = ${Math.round(comparison.confidence * 100)}% bootstrap interval over the repeats.`;
}
