/**
 * The columns that name a point — dataset, size, server, CouchDB version, q — in every table
 * (summary, comparison, correctness): one place, so a new point dimension appears everywhere.
 */
import { formatCount } from "./format.js";
import { shardsLabel, type PointKey } from "./points.js";
import type { Column } from "./table-format.js";

export const POINT_COLUMNS: readonly Column[] = [
  { title: "Dataset" },
  { title: "Docs", align: "right" },
  { title: "Server" },
  { title: "CouchDB" },
  { title: "q", align: "right" },
];

export function pointCells(point: PointKey): string[] {
  // q alone, as before; `2 · n3` when the run compared copies per range.
  const shards = point.n === undefined ? String(point.q) : shardsLabel(point, " · ").slice(1);
  return [point.dataset, formatCount(point.docCount), point.server, point.couchdbVersion, shards];
}
