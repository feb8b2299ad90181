import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildHistoryCharts } from "./history-charts.js";
import { nightlyResults } from "../test-support/nightly-results.js";
import { median } from "../core/stats.js";

describe("buildHistoryCharts", () => {
  const files = nightlyResults(4);
  const sections = buildHistoryCharts([files[2]!, files[0]!, files[3]!, files[1]!]);

  it("has one section per dataset × size with a build-time and a ÷ couchjs chart", () => {
    assert.deepEqual(
      sections.map((s) => s.id),
      ["history-large-100", "history-large-1000", "history-small-100", "history-small-1000", "history-small-10000"],
    );
    assert.equal(sections[4]!.heading, "small, 10000 documents: history");
    assert.deepEqual(
      sections[4]!.charts.map((c) => c.id),
      ["history-small-10000-build", "history-small-10000-relative"],
    );
  });

  it("puts the nights in date order on x, one value per night and series", () => {
    const build = sections[4]!.charts[0]!;
    assert.equal(build.xKind, "night");
    assert.deepEqual(
      build.xs.map((x) => new Date(x * 1000).toISOString().slice(0, 10)),
      ["2025-11-27", "2025-11-28", "2025-11-29", "2025-11-30"],
    );
    const series = build.series.find((s) => s.label === "typescript · 3.4.3 · q1")!;
    files.forEach((file, night) => {
      const samples = file.measurements
        .filter((m) => m.key.startsWith("docker-3.4.3/q1/small/10000/typescript/"))
        .map((m) => m.build!.ms);
      assert.equal(series.median[night], median(samples));
      assert.ok(series.low[night]! <= series.median[night]! && series.median[night]! <= series.high[night]!);
    });
  });

  it("shows typescript's drift relative to couchjs, and leaves couchjs out of that chart", () => {
    const relative = sections[4]!.charts[1]!;
    assert.ok(!relative.series.some((s) => s.label.startsWith("javascript")));
    const typescript = relative.series.find((s) => s.label === "typescript · 3.4.3 · q1")!.median as number[];
    assert.ok(typescript[3]! / typescript[0]! > 1.1 && typescript[3]! / typescript[0]! < 1.2, String(typescript));
    const quickjs = relative.series.find((s) => s.label === "quickjs · 3.4.3 · q1")!.median as number[];
    assert.ok(Math.abs(quickjs[3]! / quickjs[0]! - 1) < 0.08, String(quickjs));
  });

  it("leaves a gap for a night that did not measure a point", () => {
    const withGap = nightlyResults(3);
    withGap[1]!.measurements = withGap[1]!.measurements.filter((m) => m.dataset !== "large");
    const large = buildHistoryCharts(withGap).find((s) => s.id === "history-large-100")!.charts[0]!;
    assert.deepEqual(
      large.series[0]!.median.map((v) => v === null),
      [false, true, false],
    );
  });
});
