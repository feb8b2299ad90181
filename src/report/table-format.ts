/**
 * Column-aligned tables for terminals. The Markdown form is padded too, so the same text reads
 * well printed raw at the end of `couchbench run` and rendered in `GITHUB_STEP_SUMMARY`.
 */

export type Align = "left" | "right";

export interface Column {
  title: string;
  align?: Align;
}

export function markdownTable(columns: readonly Column[], rows: readonly string[][]): string {
  const cells = rows.map((row) => row.map(escapeMarkdownCell));
  // At least 3 wide so the `--:` alignment rule fits the column.
  const widths = columnWidths(columns, cells).map((w) => Math.max(w, 3));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => pad(cell, widths[i]!, columns[i]!.align)).join(" | ")} |`;
  const rule = columns.map((c, i) => {
    const dashes = "-".repeat(widths[i]! - 1);
    return c.align === "right" ? `${dashes}:` : `${dashes}-`;
  });
  return [line(columns.map((c) => c.title)), `|${rule.map((r) => ` ${r} `).join("|")}|`, ...cells.map(line)].join("\n");
}

export function textTable(columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columnWidths(columns, rows);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => pad(cell, widths[i]!, columns[i]!.align))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].join("\n");
}

function columnWidths(columns: readonly Column[], rows: readonly string[][]): number[] {
  return columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? "").length)));
}

function pad(cell: string, width: number, align: Align = "left"): string {
  return align === "right" ? cell.padStart(width) : cell.padEnd(width);
}

function escapeMarkdownCell(cell: string): string {
  return cell.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
