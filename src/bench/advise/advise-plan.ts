import { estimateCosts } from "../plan.js";
import type { Variant } from "./variants.js";

/** Variants on the same q and id scheme share a scratch database. */
export function databaseKey(variant: Pick<Variant, "q" | "ids">): string {
  return `q${variant.q}-${variant.ids}`;
}

export function scratchDatabaseCount(variants: readonly Variant[]): number {
  return new Set(variants.map(databaseKey)).size;
}

/** What advise's duration depends on besides the variants. */
export interface AdviseEstimateInputs {
  dataset: string;
  docCount: number;
  repeat: number;
  /** Until CouchDB answers: plan.ts's start-up estimate for the target's kind. */
  targetStartMs: number;
}

/**
 * Which build of the plan: a variant's own (`variant`, the original among them), the original
 * rebuilt beside the advised design doc (`beside`), or the advised design doc itself (`combined`).
 */
export type AdviseBuildRole = "variant" | "beside" | "combined";

/**
 * Milliseconds per group of a JavaScript reduce read back with `group=true`: CouchDB runs the
 * reduce once per group, a round trip to the query server each. With the classic design doc's
 * count view (a group per document, 2,000 documents) on CouchDB 3.4.3, 2 cores, couchjs
 * (SpiderMonkey 102) took about 4 s, QuickJS half that, the TypeScript server 0.4 s; the
 * published classic advise run (51 s, 17 s of it builds) puts couchjs at 1.8 ms. It is most of
 * advise's time beyond the builds; a server not listed is assumed as slow as couchjs.
 */
const JS_REDUCE_MS_PER_GROUP: Record<string, number> = { javascript: 1.8, quickjs: 0.9, typescript: 0.2 };

/**
 * Expected time of one build as advise makes it, with what comes with it: the scratch database's
 * loading (on the first build there), the build, and, on a variant's first build (and the
 * original's second), the read-back of every view for the output check; the original's and
 * emit-null's builds also time a read of the emit-null views.
 */
export function adviseBuildMs(
  all: readonly Variant[],
  variant: Variant,
  repeat: number,
  role: AdviseBuildRole,
  inputs: AdviseEstimateInputs,
): number {
  const cost = estimateCosts(inputs.dataset, inputs.docCount);
  const loadsDatabase =
    role === "variant" && repeat === 1 && all.find((other) => databaseKey(other) === databaseKey(variant)) === variant;
  const readBack =
    (role === "variant" && (repeat === 1 || (variant.kind === "original" && repeat === 2))) ||
    (role === "combined" && repeat === 1);
  const readViews = all.find((other) => other.kind === "emit-null")?.emitNullViews.length ?? 0;
  const timesReads = role === "variant" && (variant.kind === "original" || variant.kind === "emit-null");
  return (
    (loadsDatabase ? cost.loadMs : 0) +
    cost.buildMs +
    (readBack ? readBackMs(variant, inputs) : 0) +
    (timesReads ? readViews * cost.verifyMs : 0)
  );
}

/**
 * Reading every view back (variant-output.ts): the rows, and for each reduce `reduce=true` and
 * `group=true`. The number of groups is not known before the build: it is taken as one per
 * document, the most there can be (the count view of the classic design doc has that), so the
 * estimate is high for a reduce keyed by a few values, and group levels of array keys are left out.
 */
function readBackMs(variant: Variant, inputs: AdviseEstimateInputs): number {
  const { verifyMs } = estimateCosts(inputs.dataset, inputs.docCount);
  return variant.designs.reduce((total, design, i) => {
    const server = variant.designServers?.[i] ?? variant.server;
    const msPerGroup = JS_REDUCE_MS_PER_GROUP[server] ?? JS_REDUCE_MS_PER_GROUP.javascript!;
    return Object.values(design.views).reduce(
      (sum, view) =>
        sum + verifyMs + (view.reduce !== undefined && !view.reduce.startsWith("_") ? inputs.docCount * msPerGroup : 0),
      total,
    );
  }, 0);
}

/**
 * Expected duration: the target's start, then every build of the plan with its loading and
 * read-backs — every variant `repeat` times, then the advised design doc and the original
 * `repeat` times each, side by side. Which changes win is not known before they are measured:
 * the advised design doc is counted as built (when nothing wins, the run ends sooner) and read
 * back as fast as the quickest single design-doc change, a winner's change being in it.
 */
export function estimateAdviseMs(all: readonly Variant[], inputs: AdviseEstimateInputs): number {
  const original = all.find((variant) => variant.kind === "original") ?? all[0]!;
  const candidates = all.filter((variant) => variant.ddocChange);
  const advised = candidates.length
    ? candidates.reduce((best, variant) => (readBackMs(variant, inputs) < readBackMs(best, inputs) ? variant : best))
    : original;
  let total = inputs.targetStartMs;
  for (let repeat = 1; repeat <= inputs.repeat; repeat++) {
    for (const variant of all) total += adviseBuildMs(all, variant, repeat, "variant", inputs);
    total += adviseBuildMs(all, original, repeat, "beside", inputs);
    total += adviseBuildMs(all, advised, repeat, "combined", inputs);
  }
  return total;
}
