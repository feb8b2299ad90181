/**
 * `results → Markdown`: the summary `couchbench run` prints at the end and CI writes to
 * `GITHUB_STEP_SUMMARY`. One section per results file.
 */
import { noBuildReason } from "../results/run-outcome.js";
import type { ResultsFile } from "../results/results-format.js";
import { describeHost, describeTarget } from "./environment-text.js";
import { formatCount, formatMs, formatRatio } from "./format.js";
import { summaryRows, type SummaryRow } from "./summary-rows.js";
import { costTable, runWarningLines } from "./cost-summary-table.js";
import { checkCell } from "./check-text.js";
import { pivotTable, type PivotDimension } from "./pivot-table.js";
import { pointColumns } from "./point-columns.js";
import { markdownTable, type Column } from "./table-format.js";

const RESULT_COLUMNS: Column[] = [
  { title: "Build (median)", align: "right" },
  { title: "Min–max", align: "right" },
  { title: "Every copy", align: "right" },
  { title: "Docs/s", align: "right" },
  { title: "vs couchjs", align: "right" },
  { title: "Check" },
];
/** Only in runs that measured erlang: build time as a multiple of CouchDB's floor. */
const FLOOR_COLUMN: Column = { title: "× erlang", align: "right" };

export interface MarkdownSummaryOptions {
  /** Pivot the builds table: one column per value of this dimension (and no cost table). */
  columns?: PivotDimension;
}

export function renderMarkdownSummary(files: readonly ResultsFile[], options: MarkdownSummaryOptions = {}): string {
  return `${files.map((file) => renderFile(file, options.columns)).join("\n\n")}\n`;
}

function renderFile(file: ResultsFile, columns: PivotDimension | undefined): string {
  const rows = summaryRows([file]);
  const costs = costTable(file);
  const lines = [
    `### couchbench run \`${file.runId}\` — ${noBuildReason(file.measurements) ?? file.status}`,
    "",
    `${file.targets.map(describeTarget).join("; ") || "no CouchDB target"} · ${describeHost(file.environment)}`,
    "",
  ];
  if (rows.length === 0) lines.push("_No measurements yet._");
  else if (columns) {
    const { table, legend } = pivotTable(rows, columns);
    lines.push(table, "", legend + (costs.length ? COST_TABLE_HINT : ""));
  } else lines.push(summaryTable(rows));
  const problems = file.notes.filter((n) => n.level !== "info");
  if (problems.length > 0) {
    lines.push("", ...problems.map((n) => `> **${n.level}:** ${n.message}`));
  }
  lines.push(...(columns ? [] : costs), ...runWarningLines(file));
  return lines.join("\n");
}

/** Appended to the pivoted table's legend when the run recorded costs. */
const COST_TABLE_HINT = " What the builds cost: `--format md` without `--columns`.";

/** The "Every copy" column (a cluster's second build time) and "× erlang" only where some row has them. */
function summaryTable(rows: readonly SummaryRow[]): string {
  const point = pointColumns(rows);
  const everyCopy = rows.some((row) => row.allCopiesMs !== undefined);
  const withFloor = rows.some((row) => row.multipleOfFloor !== undefined);
  const keep = (_: unknown, i: number) => everyCopy || i !== EVERY_COPY_COLUMN;
  const floorCells = (row: SummaryRow) =>
    withFloor ? [row.multipleOfFloor !== undefined ? formatRatio(row.multipleOfFloor) : ""] : [];
  const results = RESULT_COLUMNS.filter(keep);
  const columns = [...point.columns, ...results.slice(0, -1), ...(withFloor ? [FLOOR_COLUMN] : []), results.at(-1)!];
  return markdownTable(
    columns,
    rows.map((row) => {
      const cells = resultCells(row).filter(keep);
      return [...point.cells(row), ...cells.slice(0, -1), ...floorCells(row), cells.at(-1)!];
    }),
  );
}

/** Index of "Every copy" in RESULT_COLUMNS. */
const EVERY_COPY_COLUMN = 2;

function resultCells(row: SummaryRow): string[] {
  const build = row.buildMs;
  return [
    build ? formatMs(build.median) : "—",
    build && build.n > 1 ? `${formatMs(build.min)}–${formatMs(build.max)}` : "",
    row.allCopiesMs !== undefined ? formatMs(row.allCopiesMs) : "—",
    row.buildDocsPerSec !== undefined ? formatCount(row.buildDocsPerSec) : "—",
    row.speedupVsCouchjs !== undefined ? formatRatio(row.speedupVsCouchjs) : "",
    checkCell(row),
  ];
}
