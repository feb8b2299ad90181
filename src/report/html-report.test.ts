import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderHtmlReport } from "./html-report.js";

describe("renderHtmlReport", () => {
  const html = renderHtmlReport([fixtureResults()]);

  it("is self-contained: uPlot, styles and data inline, nothing fetched", () => {
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /https:\/\/github.com\/leeoniya\/uPlot \(v1\.6\.\d+\)/);
    assert.match(html, /\.uplot, \.uplot \*/);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
  });

  it("inlines the chart data as parseable JSON", () => {
    const json = /<script type="application\/json" id="couchbench-data">(.*?)<\/script>/s.exec(html)![1]!;
    const payload = JSON.parse(json);
    assert.equal(payload.datasets.length, 2);
    assert.deepEqual(payload.datasets[0].charts[0].xs, [100, 1000]);
  });

  it("has a figure and a y toggle per chart, and the environment and correctness sections", () => {
    assert.equal(html.match(/<figure class="chart"/g)?.length, 10);
    assert.match(html, /<button type="button" class="y-scale" id="ylog-small-build"[^>]*>y: log<\/button>/);
    assert.match(html, /<section id="environment">[\s\S]*AMD EPYC 7763[\s\S]*spidermonkey 128/);
    assert.match(html, /<tr class="bad">.*mismatch.*view by_type row 17: key \[&#34;post&#34;,3\]/);
  });

  it("names the id schemes and design docs, and describes a dataset sampled from CouchDB", () => {
    const file = fixtureResults();
    file.plan = {
      ...file.plan,
      ids: ["sequential", "uuidv7"],
      designDocs: ["/x/designdocs/classic.json", "/home/me/orders.json"],
    };
    file.datasets = [
      {
        name: "couchdb:http://db.example:5984/orders",
        source: "couchdb",
        url: "http://db.example:5984",
        database: "orders",
        updateSeq: "1042-g1AAAA",
        sampledDocs: 1000,
        attachments: "dropped",
        docsWithAttachments: 37,
        docBytes: { min: 312, median: 1480, p95: 6100, max: 48211 },
      },
    ];
    const page = renderHtmlReport([file]);
    assert.match(page, /Document ids<\/td><td>sequential, uuidv7</);
    assert.match(page, /Design docs<\/td><td>classic, orders</);
    assert.match(
      page,
      /Datasets sampled from CouchDB[\s\S]*couchdb:http:\/\/db\.example:5984\/orders[\s\S]*1,000[\s\S]*312 B \/ 1\.4 KiB \/ 6\.0 KiB \/ 47\.1 KiB[\s\S]*dropped \(37 docs had some\)/,
    );
    assert.match(html, /Document ids<\/td><td>not recorded</, "older files did not record ids");
  });

  it("escapes text from the results file everywhere", () => {
    const evil = fixtureResults({
      runId: "</script><script>alert(1)</script>",
      hostname: "<img src=x onerror=alert(1)>",
    });
    evil.measurements.forEach((m) => (m.dataset = "</script><b>"));
    const page = renderHtmlReport([evil]);
    assert.doesNotMatch(page, /<script>alert|<img src=x|<\/script><b>/);
    assert.match(page, /&#60;img src=x/);
  });

  it("still renders when no build completed", () => {
    const page = renderHtmlReport([{ ...fixtureResults(), measurements: [], status: "failed" }]);
    assert.match(page, /No completed builds to chart yet/);
  });
});
