/** `comparison → Markdown` for pull requests and `GITHUB_STEP_SUMMARY`. */
import type { Comparison } from "./compare.js";
import { comparisonTable, conclusion, environmentWarning, intervalNote, unmatchedLine } from "./comparison-cells.js";
import { markdownTable } from "./table-format.js";

const VERDICTS = { regression: "🔴 **slower**", improvement: "🟢 faster", unchanged: "" };

export function renderComparisonMarkdown(comparison: Comparison): string {
  const lines = ["### couchbench comparison", ""];
  const warning = environmentWarning(comparison);
  if (warning) lines.push(`> [!WARNING]`, `> ${warning[0]!.toUpperCase()}${warning.slice(1)}.`, "");
  for (const runWarning of comparison.warnings) lines.push(`> [!WARNING]`, `> ${runWarning}.`, "");
  lines.push(`**${conclusion(comparison)}**`, "");
  if (comparison.points.length > 0) {
    const table = comparisonTable(comparison, VERDICTS);
    lines.push(markdownTable(table.columns, table.rows));
    lines.push("", `_${intervalNote(comparison)}_`, "");
  }
  if (comparison.unmatched.length > 0) {
    lines.push(
      `<details><summary>Not compared (${comparison.unmatched.length})</summary>`,
      "",
      ...comparison.unmatched.map((p) => `- ${unmatchedLine(p)}`),
      "",
      "</details>",
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
