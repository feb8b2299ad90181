/**
 * The columns that name a point — dataset, size, ids, design doc, server, CouchDB version, q — in
 * every table (summary, comparison, correctness): one place, so a new point dimension appears
 * everywhere. Ids and design doc get a column only when the table compares several (the
 * environment section always says which were used).
 */
import { formatCount } from "./format.js";
import { configShortLabel, shardsLabel, type PointKey } from "./points.js";
import type { Column } from "./table-format.js";

export interface PointColumn extends Column {
  cell: (point: PointKey) => string;
  /** Shown only when the points differ in it. */
  whenVaried?: true;
}

/**
 * Every dimension a point is named by, keyed by the name `report --columns` takes (the run option that varies it,
 * where there is one).
 */
export const POINT_DIMENSIONS = {
  dataset: { title: "Dataset", cell: (p) => p.dataset },
  docs: { title: "Docs", align: "right", cell: (p) => formatCount(p.docCount) },
  ids: { title: "Ids", cell: (p) => p.ids || "—" },
  ddoc: { title: "Design doc", cell: (p) => p.designDoc || "—" },
  server: { title: "Server", cell: (p) => p.server },
  couchdb: { title: "CouchDB", cell: (p) => p.couchdbVersion },
  q: { title: "q", align: "right", cell: (p) => String(p.q) },
  n: { title: "n", align: "right", cell: (p) => (p.n === undefined ? "—" : String(p.n)) },
  config: { title: "Settings", cell: (p) => configShortLabel(p.config ?? "") || "—" },
} as const satisfies Record<string, PointColumn>;

export type PointDimension = keyof typeof POINT_DIMENSIONS;

const D = POINT_DIMENSIONS;
const ALL_COLUMNS: readonly PointColumn[] = [
  D.dataset,
  D.docs,
  { ...D.ids, whenVaried: true },
  { ...D.ddoc, whenVaried: true },
  D.server,
  D.couchdb,
  // q alone; `2 · n3` when the run compared copies per range.
  { ...D.q, cell: (p) => (p.n === undefined ? String(p.q) : shardsLabel(p, " · ").slice(1)) },
  { ...D.config, whenVaried: true },
];

export interface PointColumns {
  columns: Column[];
  cells: (point: PointKey) => string[];
}

/** The point columns a table of these points needs. */
export function pointColumns(points: readonly PointKey[]): PointColumns {
  const shown = ALL_COLUMNS.filter((column) => !column.whenVaried || new Set(points.map(column.cell)).size > 1);
  return {
    columns: shown.map(({ title, align }) => (align ? { title, align } : { title })),
    cells: (point) => shown.map((column) => column.cell(point)),
  };
}
