/**
 * The environment section's `--config` part: the setting combinations a run compared, in what
 * order the builds changed them, what each target was started with, and whether every node's
 * previous values were put back.
 */
import type { ResultsFile } from "../results/results-format.js";
import { escapeHtml, htmlTable } from "./html-parts.js";
import { configLabel, configShortLabel } from "./points.js";

export function configSettingsSection(files: readonly ResultsFile[]): string {
  const withConfig = files.filter((f) => f.plan.config);
  if (withConfig.length === 0) return "";
  const combinationRows = withConfig.flatMap((f) =>
    f.plan.config!.combinations.map((combination, i) => ({
      cells: [f.runId, String(i + 1), configLabel(combination)],
    })),
  );
  const targetRows = withConfig.flatMap((f) =>
    f.targets.map((t) => ({
      className: t.configRestore?.status === "failed" ? "bad" : undefined,
      cells: [
        f.runId,
        t.id,
        t.startConfig?.length ? configLabel(t.startConfig) : "—",
        restoreText(t.configRestore),
        t.configRestore?.previous.length
          ? t.configRestore.previous.map((p) => `${p.node} ${p.section}/${p.key}=${p.value ?? "(unset)"}`).join(", ")
          : "—",
      ],
    })),
  );
  const orders = withConfig.flatMap((f) => {
    const order = settingsOrder(f);
    return order.length ? [`<li>${escapeHtml(f.runId)}: ${order.map(escapeHtml).join("; ")}</li>`] : [];
  });
  return `<h3>CouchDB settings (--config)</h3>
<p class="muted">Settings read at run time were set through <code>_node/{node}/_config</code> on every node before the builds under them; the combinations rotate with the servers from repeat to repeat, so the <em>order</em> column of each build says where its setting came in that repeat. Settings read only at start-up started a target of their own. Builds of every combination are checked for identical view output.</p>
${htmlTable(["Run", "#", "Combination"], combinationRows)}
${orders.length ? `<p>Order of the settings, repeat by repeat (first point and design doc of the first target):</p>\n<ul class="notes">${orders.join("\n")}</ul>` : ""}
${htmlTable(["Run", "Target", "Started with", "Settings afterwards", "Values before the run"], targetRows)}
`;
}

/** `1: queue_memory_cap=100000 → queue_memory_cap=10485760`, per repeat, from the builds' recorded order. */
export function settingsOrder(file: ResultsFile): string[] {
  const first = file.measurements.find((m) => m.config);
  if (!first) return [];
  const samePlace = file.measurements.filter(
    (m) =>
      m.config &&
      m.targetId === first.targetId &&
      m.q === first.q &&
      m.n === first.n &&
      m.dataset === first.dataset &&
      m.docCount === first.docCount &&
      m.ids === first.ids &&
      m.designDoc === first.designDoc,
  );
  const repeats = [...new Set(samePlace.map((m) => m.repeat))].sort((a, b) => a - b);
  return repeats.map((repeat) => {
    const labels = samePlace
      .filter((m) => m.repeat === repeat)
      .sort((a, b) => a.order - b.order)
      .map((m) => configShortLabel(configLabel(m.config)));
    return `${repeat}: ${[...new Set(labels)].join(" → ")}`;
  });
}

export function restoreText(restore: ResultsFile["targets"][number]["configRestore"]): string {
  if (!restore) return "not changed";
  const when = restore.at ? ` at ${restore.at}` : "";
  switch (restore.status) {
    case "restored":
      return `restored${when}`;
    case "discarded":
      return `node discarded${when} (started by couchbench)`;
    case "failed":
      return `NOT restored: ${restore.error ?? ""}`;
    case "pending":
      return "still changed (the run did not finish)";
  }
}
