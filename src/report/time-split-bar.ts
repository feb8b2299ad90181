/** A build's time split as one stacked bar (HTML), shared by the run report and the advise page. */
import type { BuildTimeSplit } from "../results/build-time-split.js";
import { escapeHtml } from "./html-parts.js";
import { formatMs } from "./format.js";

export const SPLIT_PARTS = [
  ["mapMs", "map round trips", "#4e79a7"],
  ["reduceMs", "reduce round trips", "#e15759"],
  ["resetMs", "resets and add_fun", "#f28e2b"],
  ["restMs", "CouchDB's own work", "#bab0ac"],
] as const;

export const SPLIT_STYLE = `
.split { display: flex; height: 1.1em; min-width: 12em; border-radius: 3px; overflow: hidden; }
.split span { display: block; height: 100%; }
.legend span { display: inline-block; width: .9em; height: .9em; margin: 0 .3em 0 1em; vertical-align: middle; }`;

/** Stacked bar with every share in its title; ≈ after it when CouchDB's counters make it approximate. */
export function timeSplitBar(split: BuildTimeSplit | undefined): string {
  if (!split) return "—";
  const total = SPLIT_PARTS.reduce((sum, [key]) => sum + split[key], 0);
  if (total <= 0) return "—";
  const title =
    SPLIT_PARTS.map(([key, label]) => `${label} ${formatMs(split[key])}`).join(", ") +
    (split.approximate.length ? ` — approximate: ${split.approximate.join("; ")}` : "");
  const spans = SPLIT_PARTS.map(
    ([key, , colour]) => `<span style="width:${((split[key] / total) * 100).toFixed(2)}%;background:${colour}"></span>`,
  ).join("");
  return `<div class="split" title="${escapeHtml(title)}">${spans}</div>${split.approximate.length ? " ≈" : ""}`;
}

export function timeSplitLegend(): string {
  return `<p class="legend">${SPLIT_PARTS.map(([, label, colour]) => `<span style="background:${colour}"></span>${escapeHtml(label)}`).join("")}</p>`;
}

/** What the split is and when it is approximate, under every split table. */
export const SPLIT_HINT = `<p class="hint">Split by CouchDB's own counters (<code>couchdb.query_server.time.*</code> and <code>calls.*</code>, sampled before and after each build): the microseconds of every prompt as Erlang sees it, pipe round trip included; the rest of the wall time is CouchDB's own work. ≈ marks an approximate split (hover for why): several indexers ran at once (shards or design docs), so round trips overlap and are scaled to the wall time, or the node did other work during the build (the counters are node-wide).</p>`;

/** The split of the median build (the build a reader compares the others with). */
export function medianSplit(
  builds: ReadonlyArray<{ ms: number; timeSplit?: BuildTimeSplit | undefined }>,
): BuildTimeSplit | undefined {
  const split = builds.filter((build) => build.timeSplit).sort((a, b) => a.ms - b.ms);
  return split[Math.floor((split.length - 1) / 2)]?.timeSplit;
}
