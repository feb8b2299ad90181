import assert from "node:assert/strict";
import { test } from "node:test";
import { relevantStats, statsDelta } from "./query-server-stats.js";

test("query-server and mrview counters are flattened and differenced; others are ignored", () => {
  const snapshot = (mapDocs: number, emits: number) => ({
    couchdb: {
      mrview: { map_doc: { value: mapDocs, type: "counter" }, emits: { value: emits, type: "counter" } },
      query_server: { vdu_rejects: { value: 0, type: "counter" } },
      httpd: { requests: { value: 999, type: "counter" } },
    },
  });
  const before = relevantStats(snapshot(10, 20));
  assert.deepEqual(before, {
    "couchdb.mrview.map_doc": 10,
    "couchdb.mrview.emits": 20,
    "couchdb.query_server.vdu_rejects": 0,
  });
  assert.deepEqual(statsDelta(before, relevantStats(snapshot(110, 220))), {
    "couchdb.mrview.map_doc": 100,
    "couchdb.mrview.emits": 200,
  });
  assert.deepEqual(relevantStats({}), {});
});
