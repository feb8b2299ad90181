/**
 * `results → CSV` (RFC 4180): one row per measurement, every repeat, so a spreadsheet or a
 * notebook can do its own statistics. Columns are stable; new ones are only ever appended.
 */
import type { Measurement, ResultsFile, TargetInfo } from "../results/results-format.js";
import { COST_FIGURES } from "./point-cost.js";
import { configLabel } from "./points.js";

type Cell = string | number | boolean | undefined;

const COLUMNS: [string, (m: Measurement, file: ResultsFile, target?: TargetInfo) => Cell][] = [
  ["runId", (_m, f) => f.runId],
  ["key", (m) => m.key],
  ["targetId", (m) => m.targetId],
  ["couchdbVersion", (m) => m.couchdbVersion],
  ["jsEngine", (_m, _f, t) => t?.jsEngine],
  ["q", (m) => m.q],
  ["dataset", (m) => m.dataset],
  ["docCount", (m) => m.docCount],
  ["server", (m) => m.server],
  ["language", (m) => m.language],
  ["repeat", (m) => m.repeat],
  ["order", (m) => m.order],
  ["status", (m) => m.status],
  ["buildMs", (m) => m.build?.ms],
  ["buildDocsPerSec", (m) => m.build?.docsPerSec],
  ["buildMbPerSec", (m) => m.build?.mbPerSec],
  ["loadMs", (m) => m.load?.ms],
  ["loadBytes", (m) => m.load?.bytes],
  ["updateDocCount", (m) => m.update?.docCount],
  ["updateMs", (m) => m.update?.ms],
  ["reduceMs", (m) => m.reduce?.ms],
  ["correctness", (m) => m.correctness.status],
  ["correctnessDetail", (m) => m.correctness.detail],
  ["error", (m) => m.error],
  ["startedAt", (m) => m.startedAt],
  ["finishedAt", (m) => m.finishedAt],
  ["ids", (m) => m.ids],
  ["designDoc", (m) => m.designDoc],
  ["n", (m) => m.n],
  ["buildAllCopiesMs", (m) => m.build?.allCopiesMs],
  ["clusterNodes", (_m, _f, t) => t?.cluster?.nodeCount],
  ["config", (m) => (m.config ? configLabel(m.config) : undefined)],
  // What a build cost (docs/cost.md: the figures the report's cost table summarises), and how busy
  // the machine was while it ran.
  ...COST_FIGURES,
  ["indexActiveBytes", (m) => m.build?.cost?.index?.activeBytes],
  ["machineBusy", (m) => m.build?.machine?.busy],
  ["machineOtherShare", (m) => m.build?.machine?.otherShare],
  ["machineStealShare", (m) => m.build?.machine?.stealShare],
];

export function renderCsv(files: readonly ResultsFile[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(",")];
  for (const file of files) {
    const targets = new Map(file.targets.map((t) => [t.id, t]));
    for (const m of file.measurements) {
      lines.push(COLUMNS.map(([, get]) => csvCell(get(m, file, targets.get(m.targetId)))).join(","));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvCell(value: Cell): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
