/** The report's environment section: where each run happened and on which CouchDB. */
import type { HostEnvironment, ResultsFile } from "../results/results-format.js";
import { describeLimits } from "./environment-text.js";
import { configSettingsSection } from "./config-section.js";
import { formatBytes } from "./format.js";
import { escapeHtml, htmlTable, type HtmlRow } from "./html-parts.js";

const HOST_ROWS: [string, (file: ResultsFile, env: HostEnvironment) => string][] = [
  ["Status", (f) => f.status],
  ["Started", (f) => f.createdAt],
  ["Last update", (f) => f.updatedAt],
  ["Profile", (f) => f.plan.profile],
  [
    "Repeats",
    (f) =>
      f.plan.repeatPolicy
        ? `auto, ${f.plan.repeatPolicy.minRepeats}–${f.plan.repeatPolicy.maxRepeats}`
        : String(f.plan.repeat),
  ],
  ["Document ids", (f) => f.plan.ids?.join(", ") ?? "not recorded"],
  ["Design docs", (f) => (f.plan.designDocs ?? [f.plan.designDoc]).map(fileName).join(", ")],
  ["CPU", (_f, e) => e.cpuModel],
  ["Cores", (_f, e) => String(e.cpuCores)],
  ["Memory", (_f, e) => formatBytes(e.memoryBytes)],
  ["Platform", (_f, e) => `${e.platform}/${e.arch}`],
  ["Node", (_f, e) => e.nodeVersion],
  ["couchbench", (_f, e) => e.couchbenchVersion],
  ["Hostname", (_f, e) => e.hostname],
];

export function environmentSection(files: readonly ResultsFile[]): string {
  const hostRows: HtmlRow[] = HOST_ROWS.map(([name, get]) => ({
    cells: [{ html: escapeHtml(name), className: "key" }, ...files.map((f) => get(f, f.environment))],
  }));
  hostRows.push({
    cells: [
      { html: "Command line", className: "key" },
      ...files.map((f) => ({ html: `<code>${escapeHtml(f.environment.commandLine)}</code>` })),
    ],
  });
  const targetRows = files.flatMap((f) =>
    f.targets.map((t) => ({
      cells: [
        f.runId,
        t.id,
        t.kind,
        t.couchdbVersion,
        t.jsEngine ?? "—",
        t.erlangVersion ?? "—",
        t.image ? `${t.image}${t.imageDigest ? ` @ ${t.imageDigest.slice(0, 19)}` : ""}` : t.url,
        describeLimits(t) || "none",
        t.availableServers.join(", "),
      ],
    })),
  );
  const clusterRows = files.flatMap((f) =>
    f.targets.flatMap((t) =>
      (t.cluster?.nodes ?? []).map((node) => ({
        cells: [
          f.runId,
          t.id,
          node.name,
          node.couchdbVersion ?? "—",
          node.jsEngine ?? "—",
          node.erlangVersion ?? "—",
          t.cluster!.allNodes.includes(node.name) ? "connected" : "not connected",
        ],
      })),
    ),
  );
  const notes = files.flatMap((f) => f.notes.map((n) => ({ ...n, runId: f.runId })));
  const datasetRows = files.flatMap((f) =>
    (f.datasets ?? []).map((d) => ({
      cells: [
        f.runId,
        d.name,
        d.sampledDocs.toLocaleString("en"),
        d.updateSeq.slice(0, 24),
        [d.docBytes.min, d.docBytes.median, d.docBytes.p95, d.docBytes.max].map(formatBytes).join(" / "),
        `${d.attachments} (${d.docsWithAttachments.toLocaleString("en")} docs had some)`,
      ],
    })),
  );
  return `<section id="environment">
<h2>Environment</h2>
<h3>Hosts</h3>
<div class="narrow">${htmlTable(["", ...files.map((f) => `Run ${f.runId}`)], hostRows)}</div>
<h3>CouchDB targets</h3>
${htmlTable(["Run", "Target", "Kind", "CouchDB", "JS engine", "Erlang", "Image / URL", "Limits", "Query servers"], targetRows)}
${configSettingsSection(files)}${datasetRows.length === 0 ? "" : `<h3>Datasets sampled from CouchDB</h3>\n${htmlTable(["Run", "Dataset", "Documents", "Source update_seq", "Size min / median / p95 / max", "Attachments"], datasetRows)}\n`}${
    clusterRows.length === 0
      ? ""
      : `<h3>Cluster nodes</h3>
<p class="muted">From <code>_membership</code> (cluster_nodes; connected: also in all_nodes) and each node's <code>/_node/{name}/</code> and <code>_versions</code>.</p>
${htmlTable(["Run", "Target", "Node", "CouchDB", "JS engine", "Erlang", "Membership"], clusterRows)}`
  }

${
  notes.length === 0
    ? ""
    : `<h3>Run notes</h3>\n<ul class="notes">${notes
        .map(
          (n) =>
            `<li class="note-${n.level}"><strong>${n.level}</strong> <span class="muted">${escapeHtml(n.runId)} · ${escapeHtml(n.at)}${n.targetId ? ` · ${escapeHtml(n.targetId)}` : ""}</span> ${escapeHtml(n.message)}</li>`,
        )
        .join("\n")}</ul>`
}
</section>`;
}

/** `…/designdocs/classic.json` → `classic`: the name measurements and series use. */
function fileName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.json$/, "");
}
