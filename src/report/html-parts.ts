/** Escaping for text placed in the HTML report. */

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside `<script>`: `<` escaped so no value can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface HtmlCell {
  /** Already-escaped HTML. */
  html: string;
  className?: string;
}

export interface HtmlRow {
  cells: readonly (string | number | HtmlCell)[];
  className?: string | undefined;
}

/** Cells given as plain text are escaped; `HtmlCell`s are trusted markup built by the caller. */
export function htmlTable(headers: readonly string[], rows: readonly HtmlRow[]): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(({ cells, className }) => {
      const tds = cells.map((cell) => {
        if (typeof cell !== "object") return `<td>${escapeHtml(cell)}</td>`;
        return `<td${cell.className ? ` class="${cell.className}"` : ""}>${cell.html}</td>`;
      });
      return `<tr${className ? ` class="${className}"` : ""}>${tds.join("")}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * The opening of every couchbench page, up to the page header: one document head with uPlot's
 * inlined stylesheet and the page's own, so a report opens offline.
 */
export function pageStart(title: string, uplotStyle: string, pageStyle: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${uplotStyle}</style>
<style>${pageStyle}</style>
</head>
<body>
`;
}
