import { createHash } from "node:crypto";
import type { CouchClient } from "../couch/couch-client.js";
import type { DesignDocTemplate } from "./design-docs.js";

export interface ViewOutput {
  /** sha256 over every view's full output and every reduce result. */
  digest: string;
  /** Per part (`byType`, `count`, `count:reduce`), for naming what differs. */
  parts: Record<string, string>;
  rowsByView: Record<string, number>;
}

/**
 * The complete output of a design doc's views, as digests: CouchDB encodes identical index
 * contents to identical bytes, so equal digests mean equal rows, keys, values and reductions.
 */
export async function readViewOutput(client: CouchClient, db: string, designDocId: string, template: DesignDocTemplate): Promise<ViewOutput> {
  const parts: Record<string, string> = {};
  const rowsByView: Record<string, number> = {};
  for (const [view, source] of Object.entries(template.views).sort(([a], [b]) => a.localeCompare(b))) {
    const hasReduce = source.reduce !== undefined;
    parts[view] = await client.viewDigest(db, designDocId, view, hasReduce ? { reduce: false } : {});
    const { total_rows } = await client.queryView<{ total_rows: number }>(db, designDocId, view, hasReduce ? { limit: 0, reduce: false } : { limit: 0 });
    rowsByView[view] = total_rows;
    if (hasReduce) parts[`${view}:reduce`] = await client.viewDigest(db, designDocId, view, { reduce: true });
  }
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return { digest, parts, rowsByView };
}

/** Names the parts that differ, one line. */
export function describeDifference(reference: ViewOutput, other: ViewOutput): string {
  const differing = Object.keys(reference.parts).filter((part) => reference.parts[part] !== other.parts[part]);
  const rowCounts = Object.keys(reference.rowsByView)
    .filter((view) => reference.rowsByView[view] !== other.rowsByView[view])
    .map((view) => `${view}: ${other.rowsByView[view]} rows vs ${reference.rowsByView[view]}`);
  return `output differs in ${differing.join(", ")}${rowCounts.length ? ` (${rowCounts.join("; ")})` : ""}`;
}
