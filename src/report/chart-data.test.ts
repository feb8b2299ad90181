import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildChartPayload } from "./chart-data.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderMarkdownSummary } from "./markdown-summary.js";
import type { ResultsFile } from "../results/results-format.js";

/** The fixture measured twice, once per design doc, the second 30% faster. */
function twoDesignDocs(): ResultsFile {
  const file = fixtureResults({ clean: true, sizes: { small: [100, 1_000] } });
  const builtin = file.measurements.map((m) => ({
    ...m,
    key: `${m.key}/builtin`,
    designDoc: "builtin",
    ids: "random",
    build: m.build && { ...m.build, ms: m.build.ms * 0.7 },
  }));
  file.measurements = [...file.measurements.map((m) => ({ ...m, designDoc: "classic", ids: "random" })), ...builtin];
  return file;
}

describe("buildChartPayload", () => {
  const payload = buildChartPayload([fixtureResults()]);
  const chart = (id: string) => payload.datasets.flatMap((d) => d.charts).find((c) => c.id === id)!;

  it("has per dataset the build, throughput, speed-up, update and reduce charts", () => {
    assert.deepEqual(
      payload.datasets.map((d) => d.dataset),
      ["large", "small"],
    );
    assert.deepEqual(
      payload.datasets[1]!.charts.map((c) => c.id),
      ["small-build", "small-throughput", "small-speedup", "small-update", "small-reduce"],
    );
  });

  it("has one series per server × CouchDB version × q, couchjs first", () => {
    const labels = chart("small-build").series.map((s) => s.label);
    assert.equal(labels.length, 12);
    assert.deepEqual(labels.slice(0, 4), [
      "javascript · 3.4.3 · q1",
      "javascript · 3.4.3 · q2",
      "javascript · 3.5.0 · q1",
      "javascript · 3.5.0 · q2",
    ]);
    assert.equal(
      new Set(chart("small-build").series.map((s) => `${s.color}${s.dash}`)).size,
      12,
      "every series looks different",
    );
  });

  it("keeps columns aligned with the sorted document counts", () => {
    const build = chart("small-build");
    assert.deepEqual(build.xs, [100, 1_000, 10_000]);
    for (const s of build.series) {
      assert.equal(s.median.length, 3);
      s.median.forEach((m, i) => assert.ok(s.low[i]! <= m! && m! <= s.high[i]!));
    }
  });

  it("reads speed-up against couchjs of the same CouchDB version and q, with an interval", () => {
    const speedup = chart("small-speedup");
    assert.ok(speedup.series.every((s) => !s.label.startsWith("javascript")));
    const ts = speedup.series.find((s) => s.label === "typescript · 3.4.3 · q1")!;
    assert.ok(
      ts.median.every((v) => v! > 1.5),
      "typescript is faster than couchjs in the fixture",
    );
    assert.ok(ts.low.every((v, i) => v! <= ts.median[i]!));
  });

  it("leaves gaps where a series has no completed build", () => {
    const file = fixtureResults();
    for (const m of file.measurements.filter((x) => x.key.startsWith("docker-3.4.3/q1/small/1000/quickjs/"))) {
      m.status = "errored";
      delete m.build;
    }
    const build = buildChartPayload([file]).datasets[1]!.charts[0]!;
    const quickjs = build.series.find((s) => s.label === "quickjs · 3.4.3 · q1")!;
    assert.equal(quickjs.median[1], null);
    assert.notEqual(quickjs.median[0], null);
  });

  it("names series by run when two files share them", () => {
    const two = buildChartPayload([fixtureResults({ runId: "monday" }), fixtureResults({ runId: "tuesday", seed: 3 })]);
    const labels = two.datasets[0]!.charts[0]!.series.map((s) => s.label);
    assert.equal(labels.length, 24);
    assert.ok(labels.includes("typescript · 3.5.0 · q2 · tuesday"));
  });

  it("draws a series per design doc, named only by what varies, each with its own dash", () => {
    const build = buildChartPayload([twoDesignDocs()]).datasets[0]!.charts[0]!;
    const labels = build.series.map((series) => series.label);
    assert.equal(labels.length, 24);
    assert.ok(
      labels.includes("typescript · builtin · 3.4.3 · q1") && labels.includes("typescript · classic · 3.4.3 · q1"),
      labels.join("; "),
    );
    assert.ok(
      labels.every((label) => !label.includes("ids")),
      "one id scheme: not in the legend",
    );
    const style = (label: string) => JSON.stringify(build.series.find((series) => series.label === label)!.dash);
    assert.notEqual(style("typescript · builtin · 3.4.3 · q1"), style("typescript · classic · 3.4.3 · q1"));
    const summary = renderMarkdownSummary([twoDesignDocs()]);
    assert.match(summary, /\| Dataset \| Docs \| Design doc \| Server +\|/);
    assert.doesNotMatch(summary, /\| Ids \|/);
  });
});
