import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ingestResultsFixture } from "../test-support/ingest-fixture.js";
import { validateIngest } from "../test-support/ingest-schema.js";
import { compareIngest, renderIngestComparison } from "./ingest-compare.js";
import { renderIngestHtml } from "./ingest-html.js";
import { renderIngestMarkdown } from "./ingest-markdown.js";

describe("ingest reports", () => {
  it("the fixture is a valid ingest results file", () => {
    assert.ok(validateIngest(ingestResultsFixture()), JSON.stringify(validateIngest.errors));
  });

  it("summarises the sustainable rate per server in one sentence, with the knee rule and every step", () => {
    const md = renderIngestMarkdown([ingestResultsFixture()]);
    assert.match(
      md,
      /sustainable: javascript ~800 docs\/s \(not 3\.2k\), typescript ≥3\.2k docs\/s \(every rate held\)/,
    );
    assert.match(md, /Knee \(reader mode\)/);
    assert.match(md, /\[ken\] CouchDB's defaults; \[view_updater\] min_changes=10/);
    assert.equal(
      md.split("\n").filter((line) => line.startsWith("| javascript") || line.startsWith("| typescript")).length,
      6,
    );
    assert.match(md, /\| not sustained: lag grows 60 ms\/s/);
  });

  it("puts one chart per rate chart kind and one lag-over-time chart per rate in the page, data inline", () => {
    const html = renderIngestHtml([ingestResultsFixture()]);
    const payload = JSON.parse(
      /<script type="application\/json" id="ingest-data">(.*?)<\/script>/s.exec(html)![1]!,
    ) as Array<{ id: string; xs: number[]; series: Array<{ label: string }> }>;
    assert.deepEqual(
      payload.map((chart) => chart.id),
      ["f0-lag", "f0-write", "f0-achieved", "f0-read", "f0-over-time-200", "f0-over-time-800", "f0-over-time-3200"],
    );
    assert.deepEqual(payload[0]!.xs, [200, 800, 3200]);
    assert.equal(payload[0]!.series.length, 6, "p50, p95, p99 per server");
  });

  it("compares sustainable rates and flags a drop over the threshold as a regression", () => {
    const baseline = ingestResultsFixture();
    const current = ingestResultsFixture();
    current.knees = current.knees.map((knee) =>
      knee.server === "javascript" ? { ...knee, sustainableRate: 200, firstUnsustainedRate: 800 } : knee,
    );
    const comparison = compareIngest(baseline, current, 0.2);
    assert.equal(comparison.regressions, 1);
    assert.deepEqual(
      comparison.rows.map((row) => [row.server, row.regression]),
      [
        ["javascript", true],
        ["typescript", false],
      ],
    );
    const text = renderIngestComparison(comparison, false);
    assert.match(text, /javascript +~800 docs\/s \(not 3\.2k\) +~200 docs\/s \(not 800\) +-75\.0% +REGRESSION/);
    assert.match(text, /typescript +3200\/s/);
    assert.equal(compareIngest(baseline, ingestResultsFixture(), 0.2).regressions, 0);
  });
});
