import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median } from "../core/stats.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { buildChartPayload } from "./chart-data.js";
import { renderMarkdownSummary } from "./markdown-summary.js";
import { summaryRows } from "./summary-rows.js";

describe("the erlang floor", () => {
  const withErlang = fixtureResults({ servers: ["javascript", "typescript", "erlang"], clean: true });
  const withoutErlang = fixtureResults({ clean: true });

  it("every server's build time is a multiple of erlang's at the same point, erlang's own 1×", () => {
    const rows = summaryRows([withErlang]);
    const at = (server: string) =>
      rows.find(
        (r) =>
          r.couchdbVersion === "3.4.3" &&
          r.q === 1 &&
          r.dataset === "small" &&
          r.docCount === 10_000 &&
          r.server === server,
      )!;
    const builds = (server: string) =>
      withErlang.measurements
        .filter((m) => m.key.startsWith(`docker-3.4.3/q1/small/10000/${server}/`))
        .map((m) => m.build!.ms);
    assert.equal(at("typescript").multipleOfFloor, median(builds("typescript")) / median(builds("erlang")));
    assert.equal(at("erlang").multipleOfFloor, 1);
    assert.ok(
      at("javascript").multipleOfFloor! > at("typescript").multipleOfFloor! && at("typescript").multipleOfFloor! > 1,
    );
    assert.ok(summaryRows([withoutErlang]).every((r) => r.multipleOfFloor === undefined));
  });

  it("the Markdown summary has a × erlang column only in runs that measured erlang", () => {
    const header = (md: string) => md.split("\n").find((l) => l.startsWith("| Dataset"))!;
    assert.match(header(renderMarkdownSummary([withErlang])), /\| vs couchjs \| × erlang \| Check +\|$/);
    assert.doesNotMatch(header(renderMarkdownSummary([withoutErlang])), /erlang/);
    const row = renderMarkdownSummary([withErlang])
      .split("\n")
      .find((l) => /\| small +\| +10k \| erlang /.test(l))!;
    assert.match(row, /\| +1\.00× \| ✓ +\|$/);
  });

  it("the HTML report charts the multiple of erlang for every other server, and only when erlang ran", () => {
    const floorChart = buildChartPayload([withErlang]).datasets[1]!.charts.find((c) => c.id === "small-floor")!;
    assert.equal(floorChart.unit, "×");
    assert.match(floorChart.subtitle, /÷ erlang's/);
    assert.deepEqual([...new Set(floorChart.series.map((s) => s.label.split(" · ")[0]))], ["javascript", "typescript"]);
    for (const series of floorChart.series) {
      series.median.forEach((value, i) =>
        assert.ok(value! > 1 && series.low[i]! <= value! && value! <= series.high[i]!),
      );
    }
    assert.ok(
      buildChartPayload([withoutErlang]).datasets.every((d) => d.charts.every((c) => !c.id.endsWith("-floor"))),
    );
  });
});
