import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ingestConfigFixture, ingestResultsFixture } from "../test-support/ingest-fixture.js";
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

  describe("with --config: a series is a server under a combination of settings", () => {
    it("the fixture is a valid version 2 file", () => {
      assert.ok(validateIngest(ingestConfigFixture()), JSON.stringify(validateIngest.errors));
    });

    it("Markdown names each series by its setting, lists the settings in force under each, and the restore", () => {
      const md = renderIngestMarkdown([ingestConfigFixture()]);
      assert.match(
        md,
        /sustainable: javascript · batch_channels=20 ~200 docs\/s \(not 800\), javascript · batch_channels=80 ≥800 docs\/s/,
      );
      assert.deepEqual(
        md
          .split("\n")
          .filter((line) => line.startsWith("| javascript"))
          .map((line) => line.split(" | ").slice(0, 2).join(" | ")),
        [
          "| javascript · batch_channels=20 | 200",
          "| javascript · batch_channels=20 | 800",
          "| javascript · batch_channels=80 | 200",
          "| javascript · batch_channels=80 | 800",
        ],
      );
      assert.match(md, /Background indexer settings before --config: \[ken\] CouchDB's defaults/);
      assert.match(md, /Under batch_channels=20: \[ken\] batch_channels=20; \[view_updater\] CouchDB's defaults/);
      assert.match(md, /CouchDB settings afterwards \(--config\): restored at 2026-12-04T22:05:00\.000Z/);
    });

    it("the page labels chart series and knees with the setting, and gives each setting its own shade", () => {
      const html = renderIngestHtml([ingestConfigFixture()]);
      const payload = JSON.parse(
        /<script type="application\/json" id="ingest-data">(.*?)<\/script>/s.exec(html)![1]!,
      ) as Array<{ id: string; series: Array<{ label: string; color: string }> }>;
      const lag = payload.find((chart) => chart.id === "f0-lag")!;
      const p95 = lag.series.filter((series) => series.label.endsWith(" p95"));
      assert.deepEqual(
        p95.map((series) => series.label),
        ["javascript · batch_channels=20 p95", "javascript · batch_channels=80 p95"],
      );
      assert.notEqual(p95[0]!.color, p95[1]!.color);
      assert.match(html, /<strong>javascript · batch_channels=80<\/strong>: ≥800 docs\/s/);
    });

    it("compare matches series by server and settings, never one setting against another", () => {
      const baseline = ingestConfigFixture();
      const current = ingestConfigFixture();
      current.knees = current.knees.map((knee) =>
        knee.config?.[0]?.value === "80"
          ? { ...knee, status: "bracketed", sustainableRate: 200, firstUnsustainedRate: 800 }
          : knee,
      );
      const comparison = compareIngest(baseline, current, 0.2);
      assert.deepEqual(
        comparison.rows.map((row) => [row.series, row.regression]),
        [
          ["javascript · batch_channels=20", false],
          ["javascript · batch_channels=80", true],
        ],
      );
      assert.match(renderIngestComparison(comparison, true), /\| javascript · batch_channels=80 \| ≥800 docs\/s/);
      // Without --config, the same server is another series: nothing to compare it with.
      assert.deepEqual(compareIngest(ingestResultsFixture(), current, 0.2).rows, []);
    });
  });
});
