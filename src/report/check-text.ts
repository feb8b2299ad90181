/** What went wrong at a point, as short text: the summary's Check column and the pivoted table's cells. */
import type { SummaryRow } from "./summary-rows.js";

/** `✓`, `✗ mismatch`, `–` (not checked), then what failed. */
export function checkCell(row: SummaryRow): string {
  const mark = { ok: "✓", mismatch: "✗ mismatch", unchecked: "–" }[row.correctness];
  return [mark, ...failures(row)].join(" · ");
}

/** Only what is wrong (a mismatch, failed builds, left-out documents): empty for a sound point. */
export function problems(row: SummaryRow): string[] {
  return [...(row.correctness === "mismatch" ? ["✗ mismatch"] : []), ...failures(row)];
}

function failures(row: SummaryRow): string[] {
  return [
    row.errored > 0 ? `${row.errored} errored` : "",
    row.skipped > 0 ? `${row.skipped} skipped` : "",
    row.leftOutDocs ? `${row.leftOutDocs} docs left out (map threw)` : "",
  ].filter(Boolean);
}
