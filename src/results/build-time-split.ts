/**
 * Where a build's time went, from CouchDB's own counters (`/_node/_local/_stats`, sampled
 * before and after the build; see bench/query-server-stats.ts). CouchDB's os-process code adds
 * the microseconds of every prompt it sends a query server — map_doc, reduce/rereduce,
 * reset, add_fun — as seen from Erlang, i.e. the whole round trip through the pipe.
 * What is left of the wall time is CouchDB's own work: reading documents, collating, writing
 * the B-trees.
 *
 * Approximate when: indexers ran concurrently (q > 1 shards or several design docs), because
 * round trips of different processes overlap and their sum can exceed the wall time — the
 * shares are then scaled to the wall time; and on a node doing other work, because the
 * counters are node-wide (seen when there are more map_doc calls than the build makes).
 */
export interface BuildTimeSplit {
  /** map_doc round trips. */
  mapMs: number;
  /** reduce and rereduce round trips. */
  reduceMs: number;
  /** reset, add_fun and process spawns: getting a query server ready for a batch. */
  resetMs: number;
  /** The rest of the wall time: CouchDB's own work. */
  restMs: number;
  calls: { map: number; reduce: number; reset: number };
  /** Why the figures are approximate (empty when they are as exact as CouchDB's counters). */
  approximate: string[];
}

const US = 1000;

export interface BuildShape {
  /** Indexer processes that ran at once: shards × design docs. */
  concurrentIndexers: number;
  /** map_doc calls the build itself makes (documents × design docs); more means other work was counted. */
  expectedMapDocs?: number;
}

/** undefined when the counters were not readable (no `couchdb.query_server.*` in the delta). */
export function splitBuildTime(
  buildMs: number,
  stats: Readonly<Record<string, number>>,
  shape: BuildShape,
): BuildTimeSplit | undefined {
  const counter = (name: string) => stats[`couchdb.query_server.${name}`] ?? 0;
  if (!Object.keys(stats).some((key) => key.startsWith("couchdb.query_server.") || key.startsWith("couchdb.mrview.")))
    return undefined;
  const raw = {
    map: counter("time.map") / US,
    reduce: counter("time.reduce") / US,
    reset: (counter("time.reset") + counter("time.add_fun") + counter("time.spawn_proc")) / US,
  };
  const roundTrips = raw.map + raw.reduce + raw.reset;
  const approximate: string[] = [];
  let scale = 1;
  if (shape.concurrentIndexers > 1)
    approximate.push(`${shape.concurrentIndexers} indexers ran at once: their round trips overlap`);
  const mapDocs = stats["couchdb.mrview.map_doc"] ?? 0;
  if (shape.expectedMapDocs !== undefined && mapDocs > shape.expectedMapDocs) {
    approximate.push(
      `other work on this CouchDB was counted too (${mapDocs} map_doc calls for ${shape.expectedMapDocs} documents)`,
    );
  }
  if (roundTrips > buildMs) {
    scale = buildMs / roundTrips;
    approximate.push(
      `round trips add up to ${Math.round(roundTrips)} ms across processes, more than the ${Math.round(buildMs)} ms wall time: shares scaled to the wall time`,
    );
  }
  return {
    mapMs: raw.map * scale,
    reduceMs: raw.reduce * scale,
    resetMs: raw.reset * scale,
    // Scaled to the wall time, the round trips fill it: nothing is left for CouchDB (and no float dust).
    restMs: scale < 1 ? 0 : buildMs - roundTrips,
    calls: { map: counter("calls.map"), reduce: counter("calls.reduce"), reset: counter("calls.reset") },
    approximate,
  };
}
