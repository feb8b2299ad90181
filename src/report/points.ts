/**
 * Groups measurements into points: one CouchDB version × q (× n) × dataset × size × id scheme ×
 * design doc × query server, with the samples of its repeats. Report, summary and compare all
 * work on points.
 */
import type { Measurement, ResultsFile } from "../results/results-format.js";

export interface PointKey {
  couchdbVersion: string;
  q: number;
  /** Copies per shard range, when the run compared them (`--n`). */
  n?: number;
  dataset: string;
  docCount: number;
  /** Id scheme and design doc name; "" in files written before they were recorded. */
  ids: string;
  designDoc: string;
  server: string;
  /**
   * `--config`: the settings the builds ran under, `section/key=value;…` (the value `default`: the server's own);
   * absent in runs without `--config`.
   */
  config?: string;
}

export interface Point extends PointKey {
  key: string;
  runId: string;
  measurements: Measurement[];
  /** Samples from completed repeats only; a repeat without the metric adds nothing. */
  buildMs: number[];
  /** Clusters: until every shard copy was built. */
  allCopiesMs: number[];
  buildDocsPerSec: number[];
  updateMs: number[];
  reduceMs: number[];
  errored: number;
  skipped: number;
  mismatched: number;
}

/** The server every speed-up is measured against: CouchDB's own couchjs. */
export const REFERENCE_SERVER = "javascript";

/**
 * CouchDB's native Erlang views: map functions run inside CouchDB, with no process and no
 * JSON in between — the fastest a view build gets on that CouchDB. Build times are also
 * shown as a multiple of it when a run has it.
 */
export const FLOOR_SERVER = "erlang";

function pointKey(key: PointKey): string {
  const config = key.config ? `/${key.config}` : "";
  return `${key.couchdbVersion}/${shardsLabel(key, "/")}/${key.dataset}/${key.docCount}/${key.ids}/${key.designDoc}/${key.server}${config}`;
}

/** `section/key=value;…` as measurements record settings (one label for matching and sorting). */
export function configLabel(config: Measurement["config"]): string {
  return (config ?? []).map((s) => `${s.section}/${s.key}=${s.value ?? "default"}`).join(";");
}

/** `queue_memory_cap=100000 · min_writer_items=100`: the settings without their sections, for legends and tables. */
export function configShortLabel(label: string): string {
  return label
    .split(";")
    .filter(Boolean)
    .map((item) => item.slice(item.indexOf("/") + 1))
    .join(" · ");
}

/** The fields that name a point, from a measurement (or anything carrying them). */
export function pointKeyOf(
  m: Pick<Measurement, "couchdbVersion" | "q" | "n" | "dataset" | "docCount" | "server" | "ids" | "designDoc"> & {
    config?: Measurement["config"] | string;
  },
): PointKey {
  return {
    couchdbVersion: m.couchdbVersion,
    q: m.q,
    ...(m.n !== undefined ? { n: m.n } : {}),
    dataset: m.dataset,
    docCount: m.docCount,
    ids: m.ids ?? "",
    designDoc: m.designDoc ?? "",
    server: m.server,
    ...configOf(m.config),
  };
}

function configOf(config: Measurement["config"] | string | undefined): { config?: string } {
  const label = typeof config === "string" ? config : configLabel(config);
  return label ? { config: label } : {};
}

/** Which of the optional dimensions a report compares: a legend names them only then. */
export interface SeriesDimensions {
  designDoc: boolean;
  ids: boolean;
  config?: boolean;
}

/** Design doc and ids name a series only when the points compare several of them. */
export function seriesDimensions(points: readonly PointKey[]): SeriesDimensions {
  return {
    designDoc: new Set(points.map((p) => p.designDoc)).size > 1,
    ids: new Set(points.map((p) => p.ids)).size > 1,
    config: new Set(points.map((p) => p.config ?? "")).size > 1,
  };
}

/**
 * The series a point belongs to in a chart: server × design doc × ids × CouchDB version × q (× n) × settings, short
 * enough for a legend (`javascript · 3.4.3 · q1 · queue_memory_cap=100000`).
 */
export function seriesKey(key: Omit<PointKey, "dataset" | "docCount">, shown: SeriesDimensions): string {
  const parts = [
    key.server,
    shown.designDoc ? key.designDoc : "",
    shown.ids && key.ids ? `${key.ids} ids` : "",
    key.couchdbVersion,
    shardsLabel(key, " · "),
    shown.config && key.config ? configShortLabel(key.config) : "",
  ];
  return parts.filter((part) => part !== "").join(" · ");
}

/** `q2`, or `q2 · n3` when the point has a copies count. */
export function shardsLabel(key: Pick<PointKey, "q" | "n">, separator: string): string {
  return key.n === undefined ? `q${key.q}` : `q${key.q}${separator}n${key.n}`;
}

/** Points of one file, in reading order (dataset, size, version, q, server). */
export function collectPoints(file: ResultsFile): Point[] {
  const points = new Map<string, Point>();
  for (const m of file.measurements) {
    const key = pointKey(pointKeyOf(m));
    let point = points.get(key);
    if (!point) {
      point = {
        key,
        runId: file.runId,
        ...pointKeyOf(m),
        measurements: [],
        buildMs: [],
        allCopiesMs: [],
        buildDocsPerSec: [],
        updateMs: [],
        reduceMs: [],
        errored: 0,
        skipped: 0,
        mismatched: 0,
      };
      points.set(key, point);
    }
    addMeasurement(point, m);
  }
  return [...points.values()].sort(comparePoints);
}

function addMeasurement(point: Point, m: Measurement): void {
  point.measurements.push(m);
  if (m.status === "errored") point.errored++;
  if (m.status === "skipped") point.skipped++;
  if (m.correctness.status === "mismatch") point.mismatched++;
  if (m.status !== "completed") return;
  if (m.build) {
    point.buildMs.push(m.build.ms);
    if (m.build.allCopiesMs !== undefined) point.allCopiesMs.push(m.build.allCopiesMs);
    point.buildDocsPerSec.push(m.build.docsPerSec);
  }
  if (m.update) point.updateMs.push(m.update.ms);
  if (m.reduce) point.reduceMs.push(m.reduce.ms);
}

const byText = new Intl.Collator("en", { numeric: true }).compare;

export function comparePoints(a: PointKey, b: PointKey): number {
  return (
    byText(a.dataset, b.dataset) ||
    a.docCount - b.docCount ||
    byText(a.couchdbVersion, b.couchdbVersion) ||
    a.q - b.q ||
    (a.n ?? 0) - (b.n ?? 0) ||
    byText(a.ids, b.ids) ||
    byText(a.designDoc, b.designDoc) ||
    serverRank(a.server) - serverRank(b.server) ||
    byText(a.server, b.server) ||
    byText(a.config ?? "", b.config ?? "")
  );
}

/** Legend order: by server (couchjs first), then design doc, ids, CouchDB version, q. */
export function compareSeries(a: PointKey, b: PointKey): number {
  return (
    serverRank(a.server) - serverRank(b.server) ||
    byText(a.server, b.server) ||
    byText(a.designDoc, b.designDoc) ||
    byText(a.ids, b.ids) ||
    byText(a.couchdbVersion, b.couchdbVersion) ||
    a.q - b.q ||
    (a.n ?? 0) - (b.n ?? 0) ||
    byText(a.config ?? "", b.config ?? "")
  );
}

/** couchjs first: it is the reference the others are read against. */
function serverRank(server: string): number {
  return server === REFERENCE_SERVER ? 0 : 1;
}

/** The point a point's speed-up is read against (couchjs unless told), from the same file. */
export function referencePointFor(
  point: Point,
  byKey: ReadonlyMap<string, Point>,
  reference = REFERENCE_SERVER,
): Point | undefined {
  return byKey.get(pointKey({ ...point, server: reference }));
}

/**
 * `point`'s build time ÷ the reference's, repeat by repeat: the two builds of one repeat ran back
 * to back on the same database, so what slowed the machine then slowed both.
 */
export function pairedRatios(point: Point, reference: Point): number[] {
  const referenceMs = new Map(
    reference.measurements.filter(hasBuild).map((m) => [`${m.targetId}/${m.repeat}`, m.build!.ms]),
  );
  return point.measurements.filter(hasBuild).flatMap((m) => {
    const against = referenceMs.get(`${m.targetId}/${m.repeat}`);
    return against ? [m.build!.ms / against] : [];
  });
}

function hasBuild(m: Measurement): boolean {
  return m.status === "completed" && m.build !== undefined;
}

/** The erlang point a point's build time is a multiple of, from the same file. */
export function floorPointFor(point: Point, byKey: ReadonlyMap<string, Point>): Point | undefined {
  return byKey.get(pointKey({ ...point, server: FLOOR_SERVER }));
}

export function indexByKey(points: readonly Point[]): Map<string, Point> {
  return new Map(points.map((p) => [p.key, p]));
}
