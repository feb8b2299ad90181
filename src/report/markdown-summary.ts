/**
 * `results → Markdown`: the summary `couchbench run` prints at the end and CI writes to
 * `GITHUB_STEP_SUMMARY`. One section per results file.
 */
import type { ResultsFile } from "../results/results-format.js";
import { describeHost, describeTarget } from "./environment-text.js";
import { formatCount, formatMs, formatRatio } from "./format.js";
import { summaryRows, type SummaryRow } from "./summary-rows.js";
import { POINT_COLUMNS, pointCells } from "./point-columns.js";
import { markdownTable, type Column } from "./table-format.js";

const COLUMNS: Column[] = [
  ...POINT_COLUMNS,
  { title: "Build (median)", align: "right" },
  { title: "Min–max", align: "right" },
  { title: "Every copy", align: "right" },
  { title: "Docs/s", align: "right" },
  { title: "vs couchjs", align: "right" },
  { title: "Check" },
];

export function renderMarkdownSummary(files: readonly ResultsFile[]): string {
  return `${files.map(renderFile).join("\n\n")}\n`;
}

function renderFile(file: ResultsFile): string {
  const rows = summaryRows([file]);
  const lines = [
    `### couchbench run \`${file.runId}\` — ${file.status}`,
    "",
    `${file.targets.map(describeTarget).join("; ") || "no CouchDB target"} · ${describeHost(file.environment)}`,
    "",
    rows.length > 0 ? summaryTable(rows) : "_No measurements yet._",
  ];
  const problems = file.notes.filter((n) => n.level !== "info");
  if (problems.length > 0) {
    lines.push("", ...problems.map((n) => `> **${n.level}:** ${n.message}`));
  }
  return lines.join("\n");
}

/** The "Every copy" column (a cluster's second build time) only where some row has it. */
function summaryTable(rows: readonly SummaryRow[]): string {
  const everyCopy = rows.some((row) => row.allCopiesMs !== undefined);
  const keep = (_: unknown, i: number) => everyCopy || i !== EVERY_COPY_COLUMN;
  return markdownTable(COLUMNS.filter(keep), rows.map((row) => cells(row).filter(keep)));
}

const EVERY_COPY_COLUMN = POINT_COLUMNS.length + 2;

function cells(row: SummaryRow): string[] {
  const build = row.buildMs;
  return [
    ...pointCells(row),
    build ? formatMs(build.median) : "—",
    build && build.n > 1 ? `${formatMs(build.min)}–${formatMs(build.max)}` : "",
    row.allCopiesMs !== undefined ? formatMs(row.allCopiesMs) : "—",
    row.buildDocsPerSec !== undefined ? formatCount(row.buildDocsPerSec) : "—",
    row.speedupVsCouchjs !== undefined ? formatRatio(row.speedupVsCouchjs) : "",
    checkCell(row),
  ];
}

function checkCell(row: SummaryRow): string {
  const mark = { ok: "✓", mismatch: "✗ mismatch", unchecked: "–" }[row.correctness];
  const failures = [
    row.errored > 0 ? `${row.errored} errored` : "",
    row.skipped > 0 ? `${row.skipped} skipped` : "",
  ].filter(Boolean);
  return [mark, ...failures].join(" · ");
}
