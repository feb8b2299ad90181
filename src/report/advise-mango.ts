/** The "as a Mango index" variant, reported apart from the ranking like emit-null: what readers change, its size. */
import type { AdviseResults } from "../results/advise-format.js";
import { formatBytes } from "./format.js";

/** One sentence for the Markdown and HTML reports, or undefined when the run had no Mango variant. */
export function mangoIndexSummary(results: AdviseResults): string | undefined {
  const original = results.variants.find((v) => v.kind === "original");
  const mango = results.variants.find((v) => v.kind === "mango-index");
  if (!original || !mango) return undefined;
  const s = mango.speedup;
  const speed = s
    ? `builds ${s.value.toFixed(2)}× as fast${s.resampled ? ` (95% CI ${s.low.toFixed(2)}–${s.high.toFixed(2)})` : " (1 build)"}`
    : `not measured (${mango.error ?? mango.verdict})`;
  const rows =
    mango.output.status === "match"
      ? "the same rows as your views"
      : `output ${mango.output.status}${mango.output.detail ? `: ${mango.output.detail}` : ""}`;
  const size =
    original.indexBytes !== undefined && mango.indexBytes !== undefined
      ? `; index ${formatBytes(original.indexBytes)} → ${formatBytes(mango.indexBytes)}${mango.designDocCount > 1 ? " (with the views left in JavaScript)" : ""}`
      : "";
  return `${mango.title} (reader-visible: ${mango.readers}) ${speed}, ${rows}${size}.`;
}
