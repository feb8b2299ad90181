import { test } from "node:test";
import assert from "node:assert/strict";
import { splitBuildTime } from "./build-time-split.js";

test("round trips from CouchDB's microsecond counters, the rest is CouchDB's own work", () => {
  const stats = {
    "couchdb.query_server.time.map": 600_000,
    "couchdb.query_server.time.reduce": 200_000,
    "couchdb.query_server.time.reset": 90_000,
    "couchdb.query_server.time.add_fun": 10_000,
    "couchdb.query_server.calls.map": 1000,
    "couchdb.query_server.calls.reduce": 40,
    "couchdb.query_server.calls.reset": 41,
    "couchdb.mrview.map_doc": 1000,
  };
  const split = splitBuildTime(1500, stats, { concurrentIndexers: 1, expectedMapDocs: 1000 })!;
  assert.deepEqual(
    { ...split, approximate: split.approximate },
    {
      mapMs: 600,
      reduceMs: 200,
      resetMs: 100,
      restMs: 600,
      calls: { map: 1000, reduce: 40, reset: 41 },
      approximate: [],
    },
  );
});

test("a built-in reduce: no reduce or reset round trips", () => {
  const split = splitBuildTime(
    800,
    { "couchdb.query_server.time.map": 500_000, "couchdb.mrview.map_doc": 1000 },
    { concurrentIndexers: 1 },
  )!;
  assert.equal(split.reduceMs, 0);
  assert.equal(split.resetMs, 0);
  assert.equal(split.restMs, 300);
});

test("overlapping indexers and other work on the node make the split approximate, scaled to the wall time", () => {
  const split = splitBuildTime(
    1000,
    {
      "couchdb.query_server.time.map": 1_500_000,
      "couchdb.query_server.time.reduce": 500_000,
      "couchdb.mrview.map_doc": 2400,
    },
    { concurrentIndexers: 2, expectedMapDocs: 2000 },
  )!;
  assert.equal(split.mapMs + split.reduceMs + split.resetMs + split.restMs, 1000);
  assert.equal(split.mapMs, 750);
  assert.equal(split.approximate.length, 3);
  assert.match(split.approximate.join(" "), /2 indexers.*2400 map_doc calls for 2000 documents.*scaled/);
});

test("no counters, no split", () => {
  assert.equal(splitBuildTime(1000, {}, { concurrentIndexers: 1 }), undefined);
});
