/**
 * The report's correctness section: did every server build the same index? Builds that
 * mismatched, errored or were skipped are listed first and highlighted; all builds follow.
 */
import type { Measurement, ResultsFile } from "../results/results-format.js";
import { pointColumns } from "./point-columns.js";
import { escapeHtml, htmlTable } from "./html-parts.js";
import { collectPoints, pointKeyOf } from "./points.js";

export function correctnessSection(files: readonly ResultsFile[]): string {
  const multiRun = files.length > 1;
  const measurements = files.flatMap((f) => f.measurements.map((m) => ({ m, runId: f.runId })));
  const problems = measurements.filter(({ m }) => needsAttention(m));
  const counts = countBy(measurements.map(({ m }) => (m.status === "completed" ? m.correctness.status : m.status)));
  const summary = Object.entries(counts)
    .map(([status, n]) => `<span class="badge ${badgeClass(status)}">${n} ${escapeHtml(status)}</span>`)
    .join(" ");
  const point = pointColumns(measurements.map(({ m }) => pointKeyOf(m)));
  const where = (m: Measurement, runId: string) => [...(multiRun ? [runId] : []), ...point.cells(pointKeyOf(m))];
  const whereHeaders = [...(multiRun ? ["Run"] : []), ...point.columns.map((column) => column.title)];
  const problemTable =
    problems.length === 0
      ? `<p class="ok-line">Every completed build produced the same index as the reference server.</p>`
      : htmlTable(
          [...whereHeaders, "Repeat", "Status", "Detail"],
          problems.map(({ m, runId }) => ({
            className: "bad",
            cells: [...where(m, runId), String(m.repeat), statusBadge(m), m.error ?? m.correctness.detail ?? ""],
          })),
        );
  const allRows = files.flatMap((f) =>
    collectPoints(f).map((p) => ({
      className: p.mismatched + p.errored > 0 ? "bad" : undefined,
      cells: [
        ...where(p.measurements[0]!, f.runId),
        {
          html: p.measurements
            .map(statusBadge)
            .map((b) => b.html)
            .join(" "),
        },
        p.measurements.find((m) => m.correctness.digest)?.correctness.digest?.slice(0, 12) ?? "—",
      ],
    })),
  );
  return `<section id="correctness">
<h2>Correctness</h2>
<p class="hint">Each build's index (every view row and reduce result) is compared with the first server's build of the same point.</p>
<p>${summary}</p>
${problemTable}
<details>
<summary>All builds (${measurements.length})</summary>
${htmlTable([...whereHeaders, "Repeats", "Index digest"], allRows)}
</details>
</section>`;
}

function needsAttention(m: Measurement): boolean {
  return m.status !== "completed" || m.correctness.status === "mismatch";
}

function statusBadge(m: Measurement): { html: string } {
  const status = m.status === "completed" ? m.correctness.status : m.status;
  const title = m.error ?? m.correctness.detail ?? `repeat ${m.repeat}`;
  return {
    html: `<span class="badge ${badgeClass(status)}" title="${escapeHtml(title)}">${escapeHtml(status)}</span>`,
  };
}

function badgeClass(status: string): string {
  if (status === "mismatch" || status === "errored") return "badge-bad";
  if (status === "skipped" || status === "unchecked") return "badge-muted";
  return "badge-ok";
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
