import assert from "node:assert/strict";
import { test } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderHtmlReport } from "./html-report.js";
import { timeSplitSection } from "./time-split-section.js";

test("run's report splits each point's median build by CouchDB's counters", () => {
  const file = fixtureResults({ clean: true });
  for (const m of file.measurements) {
    if (!m.build) continue;
    m.queryServerStats = {
      "couchdb.query_server.time.map": m.build.ms * 500,
      "couchdb.query_server.time.reduce": m.build.ms * 200,
      "couchdb.query_server.calls.map": m.docCount,
      "couchdb.mrview.map_doc": m.docCount,
    };
  }
  const section = timeSplitSection([file]);
  const rows = section.match(/<tr>/g)?.length ?? 0;
  assert.ok(rows > 10, `${rows} rows`);
  // 50% map, 20% reduce, no resets, 30% CouchDB's own work, in the bar and its title.
  assert.match(
    section,
    /<span style="width:50\.00%;background:#4e79a7"><\/span><span style="width:20\.00%;background:#e15759"><\/span><span style="width:0\.00%;background:#f28e2b"><\/span><span style="width:30\.00%;background:#bab0ac">/,
  );
  // q=2 points: two indexers, marked approximate.
  assert.match(section, /approximate: 2 indexers ran at once/);
  assert.match(renderHtmlReport([file]), /<section id="time-split">/);
});

test("without counters the section says so", () => {
  assert.match(timeSplitSection([fixtureResults()]), /No CouchDB counters were recorded/);
});
