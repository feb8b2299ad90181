/** `advise results → Markdown`: the ranked table printed at the end of `couchbench advise`. */
import type { AdvisedVariant, AdviseResults } from "../results/advise-format.js";
import { formatBytes, formatMs } from "./format.js";
import { markdownTable } from "./table-format.js";
import { cpuSplitText, medianCpu, medianSplit, restText } from "./time-split-bar.js";
import { mangoIndexSummary } from "./advise-mango.js";

const VERDICT: Record<AdvisedVariant["verdict"], string> = {
  baseline: "baseline",
  faster: "**faster**",
  slower: "slower",
  unclear: "no clear difference",
  rejected: "REJECTED",
  errored: "failed",
};

export function renderAdviseMarkdown(results: AdviseResults): string {
  const ranked = rankForDisplay(results);
  const rows = ranked.map((variant, i) => [
    String(i + 1),
    variant.title + (variant.readerVisible ? " ⚠ readers change" : ""),
    speedupCell(variant),
    variant.buildMs
      ? `${formatMs(variant.buildMs.median)} (${formatMs(variant.buildMs.min)}–${formatMs(variant.buildMs.max)})`
      : "—",
    VERDICT[variant.verdict] +
      (variant.output.status === "mismatch" ? `: ${variant.output.detail}` : variant.error ? `: ${variant.error}` : ""),
    splitCell(variant),
    cpuSplitText(medianCpu(variant.builds)),
  ]);
  const table = markdownTable(
    [
      { title: "#" },
      { title: "change" },
      { title: "speed-up (95% CI)", align: "right" },
      { title: "build, median (min–max)", align: "right" },
      { title: "verdict" },
      { title: "critical path: map / reduce / reset / rest" },
      { title: "CPU: beam / query servers" },
    ],
    rows,
  );
  const p = results.plan;
  const lines = [
    `## couchbench advise — ${p.designDocId} on ${p.docCount.toLocaleString("en-US")} ${p.dataset} documents`,
    "",
    `CouchDB ${results.target.couchdbVersion}${results.target.jsEngine ? ` (${results.target.jsEngine})` : ""}, ${p.repeat} builds per variant in rotated order, original q=${p.originalQ}. Speed-up = original / variant build time.`,
    "",
    table,
    "",
    ...emitNullLines(results),
    ...readerVisibleReduceLines(results),
    ...[mangoIndexSummary(results)].flatMap((line) => (line ? [line, ""] : [])),
    ...(results.readerChanges.length
      ? [
          `Advised design doc${results.advisedDesignDoc ? ` (\`${results.advisedDesignDoc}\`, beside advise.json)` : ""}${results.combined?.speedup ? `: ${speedupCell(results.combined)} the speed of the original rebuilt beside it, output checked` : ""}:`,
          ...results.readerChanges.map((c) => `- ${c.change} — readers: ${c.readers}`),
          "",
        ]
      : ["No design-doc change was measurably faster: nothing to advise for the design doc itself.", ""]),
    ...(results.notes.length ? ["Not offered, or not compared:", ...results.notes.map((note) => `- ${note}`), ""] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** The original first, then the variants best first; the combined doc is described below the table. */
function rankForDisplay(results: AdviseResults): AdvisedVariant[] {
  const order = { baseline: 0, faster: 1, unclear: 2, slower: 3, rejected: 4, errored: 5 } as const;
  return [...results.variants].sort(
    (a, b) => order[a.verdict] - order[b.verdict] || (b.speedup?.value ?? 0) - (a.speedup?.value ?? 0),
  );
}

function speedupCell(variant: AdvisedVariant): string {
  if (!variant.speedup) return variant.kind === "original" ? "1.00×" : "—";
  const s = variant.speedup;
  return s.resampled
    ? `${s.value.toFixed(2)}× (${s.low.toFixed(2)}–${s.high.toFixed(2)})`
    : `${s.value.toFixed(2)}× (1 build)`;
}

function splitCell(variant: AdvisedVariant): string {
  const split = medianSplit(variant.builds);
  if (!split) return "—";
  return `${[split.mapMs, split.reduceMs, split.resetMs].map((ms) => formatMs(ms)).join(" / ")} / ${restText(split)}${split.approximate.length ? " (≈)" : ""}`;
}

/** A rewritten pick (`values[0]` → `_first`) changes what readers get: said apart, with how its output was checked. */
function readerVisibleReduceLines(results: AdviseResults): string[] {
  return results.variants
    .filter((v) => v.kind === "reduce-builtin" && v.readerVisible)
    .flatMap((v) => [
      `${v.title} is a reader-visible change: ${v.readers}${v.output.status === "match" && v.output.detail ? ` (checked: ${v.output.detail})` : ""}.`,
      "",
    ]);
}

function emitNullLines(results: AdviseResults): string[] {
  const original = results.variants.find((v) => v.kind === "original");
  const emitNull = results.variants.find((v) => v.kind === "emit-null");
  if (!original || !emitNull) return [];
  const saved =
    original.indexBytes !== undefined && emitNull.indexBytes !== undefined
      ? `index ${formatBytes(original.indexBytes)} → ${formatBytes(emitNull.indexBytes)}`
      : undefined;
  const reads =
    original.readMs && emitNull.readMs
      ? `reading every row ${formatMs(original.readMs.median)} → ${formatMs(emitNull.readMs.median)} with include_docs=true`
      : undefined;
  return [
    `emit(key, null) is a reader-visible change (${emitNull.readers}): ${[saved, reads].filter(Boolean).join("; ")}.`,
    "",
  ];
}
