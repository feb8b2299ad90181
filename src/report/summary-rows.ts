/**
 * One row per point and run: the numbers every text output starts from. `couchbench run`
 * may use these directly; `renderMarkdownSummary` formats them.
 */
import type { ResultsFile } from "../results/results-format.js";
import { collectPoints, floorPointFor, indexByKey, pointKeyOf, referencePointFor, type PointKey } from "./points.js";
import { median, spread, type Spread } from "../core/stats.js";

export interface SummaryRow extends PointKey {
  runId: string;
  /** Over completed repeats; absent when no repeat completed. */
  buildMs?: Spread;
  /** Clusters: median time until every shard copy was built. */
  allCopiesMs?: number;
  buildDocsPerSec?: number;
  /** median(couchjs build ms) / median(this build ms): above 1 is faster than couchjs. */
  speedupVsCouchjs?: number;
  /** median(this build ms) / median(erlang build ms): how many times CouchDB's floor; absent without erlang. */
  multipleOfFloor?: number;
  repeats: number;
  errored: number;
  skipped: number;
  /**
   * The most documents a map of the point's design doc threw on, left out of its view (Measurement.leftOut); absent:
   * none.
   */
  leftOutDocs?: number;
  /** `mismatch` wins over everything: a wrong index is worse than a slow one. */
  correctness: "ok" | "mismatch" | "unchecked";
}

export function summaryRows(files: readonly ResultsFile[]): SummaryRow[] {
  return files.flatMap((file) => {
    const points = collectPoints(file);
    const byKey = indexByKey(points);
    return points.map((point): SummaryRow => {
      const reference = referencePointFor(point, byKey);
      const floor = floorPointFor(point, byKey);
      const checked = point.measurements.some((m) => ["reference", "match"].includes(m.correctness.status));
      const row: SummaryRow = {
        runId: point.runId,
        ...pointKeyOf(point),
        repeats: point.buildMs.length,
        errored: point.errored,
        skipped: point.skipped,
        correctness: point.mismatched > 0 ? "mismatch" : checked ? "ok" : "unchecked",
      };
      const leftOutDocs = Math.max(0, ...point.measurements.flatMap((m) => Object.values(m.leftOut?.byView ?? {})));
      if (leftOutDocs > 0) row.leftOutDocs = leftOutDocs;
      if (point.buildMs.length > 0) {
        row.buildMs = spread(point.buildMs);
        row.buildDocsPerSec = median(point.buildDocsPerSec);
        if (point.allCopiesMs.length > 0) row.allCopiesMs = median(point.allCopiesMs);
        if (reference && reference.buildMs.length > 0) {
          row.speedupVsCouchjs = median(reference.buildMs) / row.buildMs.median;
        }
        if (floor && floor.buildMs.length > 0) {
          row.multipleOfFloor = row.buildMs.median / median(floor.buildMs);
        }
      }
      return row;
    });
  });
}
