/** A build's time split as one stacked bar (HTML), shared by the run report and the advise page. */
import type { BuildTimeSplit } from "../results/build-time-split.js";
import { escapeHtml } from "./html-parts.js";
import { formatMs } from "./format.js";

export const SPLIT_PARTS = [
  ["mapMs", "map round trips", "#4e79a7"],
  ["reduceMs", "reduce round trips", "#e15759"],
  ["resetMs", "resets and add_fun", "#f28e2b"],
  ["restMs", "rest of the wall time (CouchDB's work not overlapped by round trips)", "#bab0ac"],
] as const;

export const SPLIT_STYLE = `
.split { display: flex; height: 1.1em; min-width: 12em; border-radius: 3px; overflow: hidden; }
.split span { display: block; height: 100%; }
.split.cost { min-width: 7em; }
.legend span { display: inline-block; width: .9em; height: .9em; margin: 0 .3em 0 1em; vertical-align: middle; }`;

/** Stacked bar with every share in its title; ≈ after it when CouchDB's counters make it approximate. */
export function timeSplitBar(split: BuildTimeSplit | undefined): string {
  if (!split) return "—";
  const total = SPLIT_PARTS.reduce((sum, [key]) => sum + split[key], 0);
  if (total <= 0) return "—";
  const title =
    SPLIT_PARTS.map(([key, label]) => `${label} ${key === "restMs" ? restText(split) : formatMs(split[key])}`).join(
      ", ",
    ) + (split.approximate.length ? ` — approximate: ${split.approximate.join("; ")}` : "");
  const spans = SPLIT_PARTS.map(
    ([key, , colour]) => `<span style="width:${((split[key] / total) * 100).toFixed(2)}%;background:${colour}"></span>`,
  ).join("");
  return `<div class="split" title="${escapeHtml(title)}">${spans}</div>${split.approximate.length ? " ≈" : ""}`;
}

export function timeSplitLegend(): string {
  return `<p class="legend">${SPLIT_PARTS.map(([, label, colour]) => `<span style="background:${colour}"></span>${escapeHtml(label)}`).join("")}</p>`;
}

/** What the split is and when it is approximate, under every split table. */
export const SPLIT_HINT = `<p class="hint">The critical path, split by CouchDB's own counters (<code>couchdb.query_server.time.*</code> and <code>calls.*</code>, sampled before and after each build): the microseconds of every prompt as Erlang sees it, pipe round trip included; the rest is wall time no round trip covered. It is not where the work was done: CouchDB reads, collates and writes while round trips are in flight, so its share here can be near nothing while its CPU is most of the work — the CPU split (beam against query servers, from /proc) shows that. ≈ marks an approximate split (hover for why): several indexers ran at once (shards or design docs), so round trips overlap and are scaled to the wall time, or the node did other work during the build (the counters are node-wide).</p>`;

/**
 * The rest of the wall time as text. When the round trips were scaled to fill the wall time, the rest is not measured
 * (it is hidden behind the overlap), and a "0 ms" would read as "CouchDB did nothing".
 */
export function restText(split: BuildTimeSplit): string {
  return split.restMs === 0 && split.approximate.length > 0 ? "overlapped" : formatMs(split.restMs);
}

/** `beam 1.20 s / query servers 0.80 s`: the CPU split beside the critical-path split; "—" when not measured. */
export function cpuSplitText(cpu: { beamMs: number; queryServerMs: number } | undefined): string {
  return cpu ? `beam ${formatMs(cpu.beamMs)} / query servers ${formatMs(cpu.queryServerMs)}` : "—";
}

/** The CPU split of the median build that has one. */
export function medianCpu(
  builds: ReadonlyArray<{ ms: number; cpu?: { beamMs: number; queryServerMs: number } | undefined }>,
): { beamMs: number; queryServerMs: number } | undefined {
  const measured = builds.filter((build) => build.cpu).sort((a, b) => a.ms - b.ms);
  return measured[Math.floor((measured.length - 1) / 2)]?.cpu;
}

/** The split of the median build (the build a reader compares the others with). */
export function medianSplit(
  builds: ReadonlyArray<{ ms: number; timeSplit?: BuildTimeSplit | undefined }>,
): BuildTimeSplit | undefined {
  const split = builds.filter((build) => build.timeSplit).sort((a, b) => a.ms - b.ms);
  return split[Math.floor((split.length - 1) / 2)]?.timeSplit;
}
