/**
 * Groups measurements into points: one CouchDB version × q (× n) × dataset × size × query server,
 * with the samples of its repeats. Report, summary and compare all work on points.
 */
import type { Measurement, ResultsFile } from "../results/results-format.js";

export interface PointKey {
  couchdbVersion: string;
  q: number;
  /** Copies per shard range, when the run compared them (`--n`). */
  n?: number;
  dataset: string;
  docCount: number;
  server: string;
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

function pointKey(key: PointKey): string {
  return `${key.couchdbVersion}/${shardsLabel(key, "/")}/${key.dataset}/${key.docCount}/${key.server}`;
}

/** The series a point belongs to in a chart: server × CouchDB version × q (× n), short enough for a legend. */
export function seriesKey(key: Omit<PointKey, "dataset" | "docCount">): string {
  return `${key.server} · ${key.couchdbVersion} · ${shardsLabel(key, " · ")}`;
}

/** `q2`, or `q2 · n3` when the point has a copies count. */
export function shardsLabel(key: Pick<PointKey, "q" | "n">, separator: string): string {
  return key.n === undefined ? `q${key.q}` : `q${key.q}${separator}n${key.n}`;
}

/** Points of one file, in reading order (dataset, size, version, q, server). */
export function collectPoints(file: ResultsFile): Point[] {
  const points = new Map<string, Point>();
  for (const m of file.measurements) {
    const key = pointKey(m);
    let point = points.get(key);
    if (!point) {
      point = {
        key,
        runId: file.runId,
        couchdbVersion: m.couchdbVersion,
        q: m.q,
        ...(m.n !== undefined ? { n: m.n } : {}),
        dataset: m.dataset,
        docCount: m.docCount,
        server: m.server,
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
    serverRank(a.server) - serverRank(b.server) ||
    byText(a.server, b.server)
  );
}

/** Legend order: by server (couchjs first), then CouchDB version, then q. */
export function compareSeries(a: PointKey, b: PointKey): number {
  return (
    serverRank(a.server) - serverRank(b.server) ||
    byText(a.server, b.server) ||
    byText(a.couchdbVersion, b.couchdbVersion) ||
    a.q - b.q ||
    (a.n ?? 0) - (b.n ?? 0)
  );
}

/** couchjs first: it is the reference the others are read against. */
function serverRank(server: string): number {
  return server === REFERENCE_SERVER ? 0 : 1;
}

/** The couchjs point a point's speed-up is read against, from the same file. */
export function referencePointFor(point: Point, byKey: ReadonlyMap<string, Point>): Point | undefined {
  return byKey.get(pointKey({ ...point, server: REFERENCE_SERVER }));
}

export function indexByKey(points: readonly Point[]): Map<string, Point> {
  return new Map(points.map((p) => [p.key, p]));
}
