import { estimateCosts } from "../plan.js";
import type { Variant } from "./variants.js";

/** Variants on the same q and id scheme share a scratch database. */
export function databaseKey(variant: Pick<Variant, "q" | "ids">): string {
  return `q${variant.q}-${variant.ids}`;
}

export function scratchDatabaseCount(variants: readonly Variant[]): number {
  return new Set(variants.map(databaseKey)).size;
}

/**
 * Expected duration: every scratch database loaded once, every variant built `repeat` times
 * and read back once, then the advised design doc and the original built `repeat` times more, side by side.
 */
export function estimateAdviseMs(
  variants: readonly Variant[],
  dataset: string,
  docCount: number,
  repeat: number,
): number {
  const cost = estimateCosts(dataset, docCount);
  const builds = (variants.length + 2) * repeat;
  return scratchDatabaseCount(variants) * cost.loadMs + builds * cost.buildMs + variants.length * cost.verifyMs;
}
