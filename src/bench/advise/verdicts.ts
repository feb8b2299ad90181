/** From builds to advice: pure functions over what the advise runner measured. */
import { ratioInterval, spread } from "../../core/stats.js";
import { queryServer } from "../../couch/query-servers.js";
import type { AdvisedVariant } from "../../results/advise-format.js";
import { positionalReaders, type DesignDocChange, type Variant } from "./variants.js";

/** Speed-up (original / variant) with the 95% interval of compare's ratio of medians, inverted. */
export function speedup(
  originalMs: readonly number[],
  variantMs: readonly number[],
): NonNullable<AdvisedVariant["speedup"]> {
  const ratio = ratioInterval(originalMs, variantMs);
  return {
    value: 1 / ratio.ratio,
    low: 1 / ratio.high,
    high: 1 / ratio.low,
    confidence: ratio.confidence,
    resampled: ratio.resampled,
  };
}

/** Fills in spread, speed-up and verdict; a variant whose output differs is rejected whatever its speed. */
export function judgeVariant(variant: AdvisedVariant, originalMs: readonly number[]): AdvisedVariant {
  const times = variant.builds.map((build) => build.ms);
  const judged: AdvisedVariant = { ...variant, ...(times.length ? { buildMs: spread(times) } : {}) };
  if (variant.kind === "original") return { ...judged, verdict: "baseline" };
  if (variant.error) return { ...judged, verdict: "errored" };
  if (variant.output.status === "mismatch") return { ...judged, verdict: "rejected" };
  if (times.length === 0 || originalMs.length === 0)
    return { ...judged, verdict: "errored", error: variant.error ?? "no completed build" };
  const gain = speedup(originalMs, times);
  const verdict = gain.low > 1 ? "faster" : gain.high < 1 ? "slower" : "unclear";
  return { ...judged, speedup: gain, verdict };
}

/** A change going into the advised design doc; `significant` false when its speed-up interval contains 1. */
export interface ChosenChange {
  change: DesignDocChange;
  significant: boolean;
}

/**
 * The best set of compatible design-doc changes: the fastest query server that won, every
 * reduce rewrite that won, emit-null when it won. They touch different parts of the design
 * doc, so they combine; the combination is measured and checked again before it is advised.
 * A rewrite to an equivalent built-in reduce whose speed-up is not significant (`unclear`, not
 * slower) goes in too, marked so: it gives the same answers and moves the work into Erlang. A
 * change readers see (another query server to install, emit-null, a pick's new values) must win.
 */
export function chooseChanges(judged: readonly AdvisedVariant[], variants: readonly Variant[]): ChosenChange[] {
  const change = (id: string) => variants.find((variant) => variant.id === id)?.ddocChange;
  const winners = judged.filter((variant) => variant.verdict === "faster");
  const servers = winners
    .filter((variant) => variant.kind === "query-server")
    .sort((a, b) => b.speedup!.value - a.speedup!.value);
  const equivalentReduce = (variant: AdvisedVariant) => variant.kind === "reduce-builtin" && !variant.readerVisible;
  const chosen = [
    ...servers.slice(0, 1),
    ...judged.filter(
      (variant) =>
        (variant.verdict === "faster" && (variant.kind === "reduce-builtin" || variant.kind === "emit-null")) ||
        (variant.verdict === "unclear" && equivalentReduce(variant)),
    ),
  ];
  return chosen.flatMap((variant) => {
    const ddocChange = change(variant.id);
    return ddocChange ? [{ change: ddocChange, significant: variant.verdict === "faster" }] : [];
  });
}

/** One line per change in the advised design doc, saying what readers must change. */
export function readerChanges(chosen: readonly ChosenChange[]): Array<{ change: string; readers: string }> {
  return chosen.map(({ change: c, significant }) => {
    const line = describeChange(c);
    return significant
      ? line
      : { ...line, change: `${line.change} (speed-up not significant: same answers, less JavaScript)` };
  });
}

function describeChange(change: DesignDocChange): { change: string; readers: string } {
  switch (change.kind) {
    case "language":
      return {
        change: `language → ${queryServer(change.server)?.language ?? change.server}`,
        readers: `nothing (the CouchDB must have the ${change.server} query server)`,
      };
    case "reduce":
      return {
        change: `${change.view}: reduce → ${change.builtIn}`,
        readers: change.orderDependent ? positionalReaders(change.view, change.builtIn) : "nothing (same results)",
      };
    case "emit-null":
      return {
        change: `${change.views.join(", ")}: emit(key, null) instead of the document`,
        readers: `query ${change.views.join(", ")} with include_docs=true and read row.doc`,
      };
  }
}
