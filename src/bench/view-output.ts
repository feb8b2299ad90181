import { createHash } from "node:crypto";
import type { CouchClient } from "../couch/couch-client.js";
import type { DesignDocTemplate } from "./design-docs.js";

export interface ViewOutput {
  /** sha256 over every view's full row output (the map side, which must be byte-identical). */
  digest: string;
  /** Row-output digest per view, for naming what differs. */
  parts: Record<string, string>;
  rowsByView: Record<string, number>;
  /** `reduce=true` results per view with a reduce, compared with a float tolerance. */
  reductions: Record<string, unknown>;
}

/**
 * Reductions are computed over CouchDB's B-tree nodes, whose shape depends on how documents
 * were batched during the build; floating-point sums may differ in the last bits between two
 * correct builds. Beyond this relative difference a reduction is reported as different.
 */
const REDUCTION_TOLERANCE = 1e-9;

/**
 * The complete output of a design doc's views: CouchDB encodes identical index contents to
 * identical bytes, so equal digests mean equal rows, keys and values.
 */
export async function readViewOutput(
  client: CouchClient,
  db: string,
  designDocId: string,
  template: DesignDocTemplate,
): Promise<ViewOutput> {
  const parts: Record<string, string> = {};
  const rowsByView: Record<string, number> = {};
  const reductions: Record<string, unknown> = {};
  for (const [view, source] of Object.entries(template.views).sort(([a], [b]) => a.localeCompare(b))) {
    const hasReduce = source.reduce !== undefined;
    parts[view] = await client.viewDigest(db, designDocId, view, hasReduce ? { reduce: false } : {});
    const { total_rows } = await client.queryView<{ total_rows: number }>(
      db,
      designDocId,
      view,
      hasReduce ? { limit: 0, reduce: false } : { limit: 0 },
    );
    rowsByView[view] = total_rows;
    if (hasReduce)
      reductions[view] = (await client.queryView<{ rows: unknown[] }>(db, designDocId, view, { reduce: true })).rows;
  }
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return { digest, parts, rowsByView, reductions };
}

/** One line naming what differs, or undefined when the outputs agree. */
export function describeDifference(reference: ViewOutput, other: ViewOutput): string | undefined {
  const rows = Object.keys(reference.parts).filter((view) => reference.parts[view] !== other.parts[view]);
  const reductions = Object.keys(reference.reductions).filter(
    (view) => !approximatelyEqual(reference.reductions[view], other.reductions[view]),
  );
  if (rows.length === 0 && reductions.length === 0) return undefined;
  const rowCounts = rows
    .filter((view) => reference.rowsByView[view] !== other.rowsByView[view])
    .map((view) => `${view}: ${other.rowsByView[view]} rows vs ${reference.rowsByView[view]}`);
  const problems = [
    ...(rows.length
      ? [`rows differ in ${rows.join(", ")}${rowCounts.length ? ` (${rowCounts.join("; ")})` : ""}`]
      : []),
    ...reductions.map(
      (view) =>
        `reduce of ${view}: ${JSON.stringify(other.reductions[view])} vs ${JSON.stringify(reference.reductions[view])}`,
    ),
  ];
  const hint =
    rows.length === 0
      ? " — rows are identical: a reduce that is not associative (e.g. an average of averages) depends on how CouchDB batched the build"
      : "";
  return problems.join("; ") + hint;
}

/** Deep equality in which numbers may differ by REDUCTION_TOLERANCE relative to their size. */
export function approximatelyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || Math.abs(a - b) <= REDUCTION_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => approximatelyEqual(item, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => approximatelyEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
    );
  }
  return a === b;
}
