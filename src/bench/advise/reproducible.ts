/**
 * Which of the original's reduces give the same answers from one build to the next. A reduce
 * that is not associative (an average of averages, `sum(values) + 1`) or that picks by position
 * (`values[0]`) depends on how CouchDB batched the build, so its answers differ between any two
 * builds, even two of the original: compared, it would make every variant look wrong. Such a
 * reduce is left out of the reduce comparison, named in a note; rows are still compared for
 * every view (map output is deterministic), and a variant's own rewritten reduce still is.
 */
import { approximatelyEqual, type ViewOutput } from "../view-output.js";
import { recogniseReduce } from "./reduce-rewrites.js";
import type { DesignDocTemplate } from "../design-docs.js";
import type { VariantKind } from "./variants.js";

export interface UnstableReduce {
  view: string;
  /** Why it is not compared, one clause for the report. */
  reason: string;
}

/**
 * Variants that run the original's functions unchanged, on the same query server, over the
 * same documents: only batching differs, so a reduce that answers differently there is
 * batching-dependent, not wrong.
 */
export const SAME_FUNCTIONS: readonly VariantKind[] = ["shards", "ids", "split-views"];

/** A labelled output of a build that ran the original's functions: `a second build of the original`, `q=1`… */
export interface SameFunctionsOutput {
  label: string;
  output: ViewOutput;
}

/**
 * The original's JavaScript reduces that are not reproducible: picks by position (provably
 * order-dependent), and reduces advise cannot prove to be a built-in whose answers differed
 * between `reference` (the original's first build) and another build of the same functions.
 */
export function unstableReduces(
  template: DesignDocTemplate,
  reference: ViewOutput,
  others: readonly SameFunctionsOutput[],
): UnstableReduce[] {
  const unstable: UnstableReduce[] = [];
  for (const [view, { reduce }] of Object.entries(template.views)) {
    if (reduce === undefined || reduce.startsWith("_")) continue;
    const recognised = recogniseReduce(reduce);
    if (recognised.orderDependent) {
      unstable.push({
        view,
        reason:
          "its reduce picks a value by its position in values, which depends on the order CouchDB passes them (batching, shards)",
      });
      continue;
    }
    if (recognised.builtIn) continue;
    const differing = others.find(
      ({ output }) =>
        output.parts[view] === reference.parts[view] &&
        reductionKeys(reference, view).some(
          (key) => !approximatelyEqual(reference.reductions[key], output.reductions[key]),
        ),
    );
    if (differing)
      unstable.push({
        view,
        reason: `its reduce gives batching-dependent results (${differing.label} answered differently from the same rows)`,
      });
  }
  return unstable;
}

/** The output without the reduce answers of `views` (rows stay). */
export function withoutReductions<T extends ViewOutput>(output: T, views: readonly string[]): T {
  const excluded = new Set(views.flatMap((view) => reductionKeys(output, view)));
  return {
    ...output,
    reductions: Object.fromEntries(Object.entries(output.reductions).filter(([key]) => !excluded.has(key))),
  };
}

/** `view`, `view group=true`, `view group_level=N`: the reduce answers variant-output.ts reads for a view. */
function reductionKeys(output: ViewOutput, view: string): string[] {
  return Object.keys(output.reductions).filter((key) => key === view || key.startsWith(`${view} group`));
}
