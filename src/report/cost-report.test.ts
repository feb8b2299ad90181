import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Measurement, ResultsFile } from "../results/results-format.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { assertValidResults } from "../test-support/results-schema.js";
import { compareResults } from "./compare.js";
import { renderComparisonText } from "./comparison-text.js";
import { costSection } from "./cost-section.js";
import { buildWarnings, describeCost, runWarnings } from "./cost-text.js";
import { renderMarkdownSummary } from "./markdown-summary.js";

const MIB = 2 ** 20;
const QS_RSS_MIB: Record<string, number> = { javascript: 60, quickjs: 20, typescript: 90 };

/** The fixture's builds with costs shaped like a real run's: beam's CPU and memory shared, query servers' their own. */
function withCosts(file: ResultsFile, change: (m: Measurement) => void = () => undefined): ResultsFile {
  const copy = structuredClone(file);
  for (const m of copy.measurements) {
    if (!m.build) continue;
    m.build.queryServerCpuMs = m.build.ms * 0.4;
    m.build.cost = {
      sampleIntervalMs: 250,
      samples: 12,
      beamCpuMs: m.build.ms * 0.7,
      beamPeakRssBytes: 120 * MIB,
      queryServerPeakRssBytes: QS_RSS_MIB[m.server]! * MIB,
      queryServerLargestRssBytes: (QS_RSS_MIB[m.server]! / 2) * MIB,
      queryServerProcesses: { served: 2, started: 1, exited: 0 },
      index: { fileBytes: 3 * MIB, activeBytes: 2.5 * MIB, externalBytes: 5 * MIB },
      peakDiskGrowthBytes: 4 * MIB,
      erlangMemoryPeakBytes: 60 * MIB,
      osProcessesPeak: 3,
    };
    m.build.machine = {
      loadAverageStart: 0.3,
      loadAverageEnd: 1.1,
      cpuCores: 2,
      stealShare: 0,
      otherCpuMs: 20,
      otherShare: 0.01,
      busy: false,
    };
    m.compaction = {
      ms: 200,
      peakDiskGrowthBytes: 2 * MIB,
      before: { fileBytes: 3 * MIB, activeBytes: 2.5 * MIB, externalBytes: 5 * MIB },
      after: { fileBytes: 2.6 * MIB, activeBytes: 2.5 * MIB, externalBytes: 5 * MIB },
    };
    change(m);
  }
  return copy;
}

const quiet = () => withCosts(fixtureResults({ clean: true, sizes: { small: [1_000] } }));

describe("build cost in the outputs", () => {
  it("is a valid results file with every new field", () => {
    assertValidResults(quiet());
  });

  it("describes one build's cost in a line, and warns about a restart and a busy machine", () => {
    const m = quiet().measurements.find((x) => x.server === "quickjs")!;
    assert.match(
      describeCost(m)!,
      /CPU beam .* \+ query servers .* · peak RSS beam 120\.0 MiB, query servers 20\.0 MiB/,
    );
    assert.match(describeCost(m)!, /index 3\.0 MiB · peak disk \+4\.0 MiB · compacted in 200 ms to 2\.6 MiB/);
    assert.deepEqual(buildWarnings(m), []);
    m.build!.cost!.queryServerProcesses = { served: 3, started: 2, exited: 1 };
    m.build!.machine = { ...m.build!.machine!, busy: true, busyReason: "other processes took 48% of the CPU" };
    assert.deepEqual(buildWarnings(m), [
      "1 query-server process exited mid-build (a crash, kill or timeout; 2 started)",
      "busy machine: other processes took 48% of the CPU (load average 1.1)",
    ]);
  });

  it("on a url target, where only the load average tells, says so once and claims no CPU share", () => {
    const urlRun = withCosts(fixtureResults({ clean: true, sizes: { small: [1_000] }, runId: "url" }), (m) => {
      const { otherShare: _unknown, otherCpuMs: _unknownMs, ...machine } = m.build!.machine!;
      m.build!.machine = {
        ...machine,
        busy: true,
        busyReason: "load average 3.7 on 2 cores when the build started",
        loadAverageEnd: 3.7,
      };
    });
    const m = urlRun.measurements.find((x) => x.status === "completed")!;
    assert.deepEqual(buildWarnings(m), ["busy machine: load average 3.7 on 2 cores when the build started"]);
    assert.match(runWarnings(urlRun)[0]!, /ran on a busy machine \(load average up to 3\.7\)/);
  });

  it("adds a cost table to the summary, and no warning for a quiet run", () => {
    const summary = renderMarkdownSummary([quiet()]);
    assert.match(summary, /What the builds cost \(medians\)/);
    assert.match(summary, /\| CPU beam \| CPU query servers \| Peak RSS beam \|/);
    assert.match(summary, /\| quickjs +\|.*120\.0 MiB \| +20\.0 MiB \(10\.0 MiB\) \|/);
    assert.doesNotMatch(summary, /busy machine/);
    assert.deepEqual(runWarnings(quiet()), []);
  });

  it("warns in the summary, the report and compare when builds ran on a busy machine", () => {
    const busy = withCosts(fixtureResults({ clean: true, sizes: { small: [1_000] }, runId: "busy" }), (m) => {
      m.build!.machine = {
        ...m.build!.machine!,
        otherShare: 0.45,
        busy: true,
        busyReason: "other processes took 45% of the CPU",
        loadAverageEnd: 3.9,
      };
    });
    const warning =
      /builds of run busy ran on a busy machine \(others or the hypervisor took up to 45% of the CPU; load average up to 3\.9\)/;
    assert.match(renderMarkdownSummary([busy]), warning);
    assert.match(costSection([busy]), warning);
    const either = [
      renderComparisonText(compareResults(quiet(), busy, { threshold: 0.1 })),
      renderComparisonText(compareResults(busy, quiet(), { threshold: 0.1 })),
    ];
    for (const text of either) assert.match(text, warning);
    assert.doesNotMatch(renderComparisonText(compareResults(quiet(), quiet(), { threshold: 0.1 })), /busy/);
  });

  it("charts each server's CPU split, memory, index, disk and compaction in the report", () => {
    const html = costSection([quiet()]);
    for (const title of [
      "CPU: beam / query servers / rest of wall time",
      "Peak RSS: beam / query servers",
      "Index size",
      "Peak disk growth",
      "Compaction time",
      "Compacted size",
    ])
      assert.ok(html.includes(title), title);
    assert.match(html, /title="beam 120\.0 MiB, query servers 90\.0 MiB"/);
    assert.match(
      costSection([fixtureResults({ clean: true, sizes: { small: [100] } })]),
      /No build costs were recorded/,
    );
  });

  it("compares peak memory, CPU and disk with --metric rss, cpu and disk", () => {
    const heavier = withCosts(fixtureResults({ clean: true, sizes: { small: [1_000] } }), (m) => {
      if (m.server === "typescript") m.build!.cost!.queryServerPeakRssBytes = 300 * MIB;
    });
    const rss = compareResults(quiet(), heavier, { threshold: 0.1, metric: "rss", minBuildMs: 0 });
    const typescript = rss.points.filter((p) => p.server === "typescript");
    assert.ok(typescript.length > 0);
    for (const point of typescript) {
      assert.equal(point.baseline.median, 210 * MIB);
      assert.equal(point.current.median, 420 * MIB);
      assert.equal(point.verdict, "regression");
    }
    assert.match(renderComparisonText(rss), /210\.0 MiB \(n=3\) +420\.0 MiB \(n=3\)/);
    const cpu = compareResults(quiet(), quiet(), { threshold: 0.1, metric: "cpu", minBuildMs: 0 });
    const wall = compareResults(quiet(), quiet(), { threshold: 0.1, minBuildMs: 0 });
    cpu.points.forEach((point, i) => {
      const expected = wall.points[i]!.baseline.median * 1.1;
      assert.ok(Math.abs(point.baseline.median - expected) < 1e-6, `${point.baseline.median} ≠ ${expected}`);
    });
    const disk = compareResults(quiet(), quiet(), { threshold: 0.1, metric: "disk", minBuildMs: 0 });
    assert.equal(disk.points[0]!.baseline.median, 4 * MIB);
  });
});
