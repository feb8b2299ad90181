/** The table and sentences both comparison formats (text, Markdown) print. */
import { BUILD_METRICS, type ComparedPoint, type Comparison, type UnmatchedPoint, type Verdict } from "./compare.js";
import type { RatioInterval } from "../core/stats.js";
import { describeDifferences } from "./environment-diff.js";
import { formatBytes, formatChange, formatCount, formatMs, formatRatio } from "./format.js";
import { pointColumns } from "./point-columns.js";
import type { Column } from "./table-format.js";

/** Raw figures always; with `relativeTo`, the relative ones beside them (the verdict is on those). */
function resultColumns(comparison: Comparison): Column[] {
  const relative: Column[] = comparison.relativeTo
    ? [
        { title: `÷ ${comparison.relativeTo}`, align: "right" },
        { title: "Rel. interval", align: "right" },
        { title: "Rel. change", align: "right" },
      ]
    : [];
  return [
    { title: "Baseline", align: "right" },
    { title: "Current", align: "right" },
    { title: "Ratio", align: "right" },
    { title: "Interval", align: "right" },
    { title: "Change", align: "right" },
    ...relative,
    { title: "Verdict" },
  ];
}

/** The comparison table's columns and rows, for a text or Markdown renderer. */
export function comparisonTable(
  comparison: Comparison,
  verdicts: Record<Verdict, string>,
): { columns: Column[]; rows: string[][] } {
  const point = pointColumns(comparison.points);
  return {
    columns: [...point.columns, ...resultColumns(comparison)],
    rows: comparison.points.map((p) => [...point.cells(p), ...resultCells(p, comparison, verdicts)]),
  };
}

function resultCells(point: ComparedPoint, comparison: Comparison, verdicts: Record<Verdict, string>): string[] {
  const { interval, relative } = point;
  const formatValue = BUILD_METRICS[comparison.metric].unit === "bytes" ? formatBytes : formatMs;
  const relativeCells = !comparison.relativeTo
    ? []
    : relative
      ? [
          `${relative.baseline.median.toFixed(3)} → ${relative.current.median.toFixed(3)}`,
          intervalText(relative.interval),
          formatChange(relative.interval.ratio),
        ]
      : ["–", "–", "–"];
  return [
    `${formatValue(point.baseline.median)} (n=${point.baseline.n})`,
    `${formatValue(point.current.median)} (n=${point.current.n})`,
    formatRatio(interval.ratio),
    intervalText(interval),
    formatChange(interval.ratio),
    ...relativeCells,
    point.gated ? verdicts[point.verdict] : `not gated: ${point.ungatedReason}`,
  ];
}

function intervalText(interval: RatioInterval): string {
  return interval.resampled ? `${interval.low.toFixed(2)}–${interval.high.toFixed(2)}` : "n<2, none";
}

export function unmatchedLine(point: UnmatchedPoint): string {
  const variant = [point.ids && `${point.ids} ids`, point.designDoc].filter(Boolean).join(", ");
  return `${point.dataset} ${formatCount(point.docCount)} docs, ${variant ? `${variant}, ` : ""}${point.server}, CouchDB ${point.couchdbVersion}, q=${point.q}: ${point.reason}`;
}

export function environmentWarning(comparison: Comparison): string | undefined {
  if (comparison.environment.length === 0) return undefined;
  const relative = comparison.relativeTo
    ? `, the relative ones (÷ ${comparison.relativeTo}) cancel the machine's speed`
    : "";
  return `runs are from different machines or CouchDB setups (${describeDifferences(comparison.environment)}); raw ratios mix hardware and code differences${relative}`;
}

export function conclusion(comparison: Comparison): string {
  const measure = comparison.relativeTo ? ` relative to ${comparison.relativeTo}` : "";
  const limit = `${formatChange(1 + comparison.threshold)}${measure} with ${Math.round(comparison.confidence * 100)}% confidence`;
  const gated = comparison.points.filter((p) => p.gated).length;
  if (comparison.points.length === 0) return "No point was measured in both files: nothing to compare.";
  if (gated === 0)
    return `Nothing gated: no point has builds of ${formatMs(comparison.minBuildMs)} or more${measure ? ` (and a ${comparison.relativeTo} build to divide by)` : ""}.`;
  if (comparison.regressions === 0)
    return `No regression: no gated point (${gated} of ${comparison.points.length}) is slower than ${limit}.`;
  const points = comparison.regressions === 1 ? "1 point is" : `${comparison.regressions} points are`;
  return `Regression: ${points} slower than ${limit}.`;
}

export function intervalNote(comparison: Comparison): string {
  const confidence = `${Math.round(comparison.confidence * 100)}% bootstrap interval over the repeats`;
  const relative = comparison.relativeTo
    ? ` ÷ ${comparison.relativeTo} = the server's build time divided by ${comparison.relativeTo}'s in the same repeat (median over repeats, baseline → current); the verdict is on its change.`
    : "";
  const cpu =
    comparison.metric === "qs-cpu"
      ? " Build times are CPU time: what the query-server processes used during each build (build.queryServerCpuMs), not wall time."
      : comparison.metric !== "wall"
        ? ` Values are ${BUILD_METRICS[comparison.metric].what} per build (--metric ${comparison.metric}), not wall time; gating is by wall time.`
        : "";
  return `Ratio = current / baseline median build time; interval = ${confidence}.${relative}${cpu} Points with a build median under ${formatMs(comparison.minBuildMs)} are not gated.`;
}
