/** `comparison → text` for terminals. */
import type { Comparison } from "./compare.js";
import { comparisonTable, conclusion, environmentWarning, intervalNote, unmatchedLine } from "./comparison-cells.js";
import { textTable } from "./table-format.js";

const VERDICTS = { regression: "SLOWER", improvement: "faster", unchanged: "" };

export function renderComparisonText(comparison: Comparison): string {
  const lines: string[] = [];
  const warning = environmentWarning(comparison);
  if (warning) lines.push(`warning: ${warning}`, "");
  for (const runWarning of comparison.warnings) lines.push(`warning: ${runWarning}`, "");
  if (comparison.points.length > 0) {
    const table = comparisonTable(comparison, VERDICTS);
    lines.push(textTable(table.columns, table.rows));
    lines.push(intervalNote(comparison), "");
  }
  if (comparison.unmatched.length > 0) {
    lines.push(`Not compared (${comparison.unmatched.length}):`);
    lines.push(...comparison.unmatched.map((p) => `  ${unmatchedLine(p)}`), "");
  }
  lines.push(conclusion(comparison));
  return `${lines.join("\n")}\n`;
}
