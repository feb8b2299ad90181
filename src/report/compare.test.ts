import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareResults, compareServersInRun, verdictFor } from "./compare.js";
import { renderComparisonMarkdown } from "./comparison-markdown.js";
import { renderComparisonText } from "./comparison-text.js";
import type { ResultsFile } from "../results/results-format.js";
import { fixtureResults } from "../test-support/results-fixture.js";

const baseline = fixtureResults({ runId: "base", seed: 1 });
/** The fixture's builds are mostly shorter than the 1 s gate: these tests judge every point. */
const ALL = { threshold: 0.1, minBuildMs: 0 };

/** `file` with every build's CPU time set by `cpu(wall ms, measurement)`, and its wall time scaled by `busy`. */
function withCpuTimes(file: ResultsFile, cpu: (ms: number, server: string) => number, busy = 1): ResultsFile {
  const copy = structuredClone(file);
  for (const m of copy.measurements) {
    if (m.build) m.build = { ...m.build, queryServerCpuMs: cpu(m.build.ms, m.server), ms: m.build.ms * busy };
  }
  return copy;
}

describe("compareResults on the query servers' CPU time (metric qs-cpu)", () => {
  const cpuBaseline = withCpuTimes(baseline, (ms) => ms * 0.8);

  it("a machine busy with other work slows every wall time, not the CPU time: cpu finds no regression where wall finds one everywhere", () => {
    const busy = withCpuTimes(baseline, (ms) => ms * 0.8, 1.3);
    assert.equal(compareResults(cpuBaseline, busy, ALL).regressions, 60);
    const onCpu = compareResults(cpuBaseline, busy, { ...ALL, metric: "qs-cpu" });
    assert.equal(onCpu.metric, "qs-cpu");
    assert.equal(onCpu.regressions, 0);
    assert.match(renderComparisonText(onCpu), /Build times are CPU time/);
  });

  it("whether a point is long enough to gate is decided on its wall time, on every metric", () => {
    const tinyCpu = withCpuTimes(baseline, (ms) => ms / 100);
    const gated = (metric: "wall" | "qs-cpu") =>
      compareResults(tinyCpu, tinyCpu, { threshold: 0.1, minBuildMs: 50, metric }).points.filter((p) => p.gated).length;
    assert.ok(gated("wall") > 0);
    assert.equal(gated("qs-cpu"), gated("wall"));
  });

  it("a server that burns more CPU is flagged on cpu although its wall times did not move", () => {
    const burning = withCpuTimes(baseline, (ms, server) => ms * 0.8 * (server === "typescript" ? 1.25 : 1));
    assert.equal(compareResults(cpuBaseline, burning, ALL).regressions, 0);
    const onCpu = compareResults(cpuBaseline, burning, { ...ALL, metric: "qs-cpu" });
    assert.ok(
      onCpu.regressions > 0 &&
        onCpu.points.filter((p) => p.verdict === "regression").every((p) => p.server === "typescript"),
    );
  });
});

describe("compareResults", () => {
  it("matches every point and finds no regression between two runs of the same code", () => {
    const comparison = compareResults(baseline, fixtureResults({ runId: "cur", seed: 2 }), ALL);
    assert.equal(comparison.points.length, 60);
    assert.equal(comparison.regressions, 0);
    assert.deepEqual(comparison.unmatched, []);
    assert.deepEqual(comparison.environment, []);
  });

  it("flags only the points slower than the threshold with confidence", () => {
    const slower = fixtureResults({
      seed: 2,
      slowdown: (p) => (p.server === "quickjs" && p.dataset === "small" ? 1.25 : p.server === "typescript" ? 1.05 : 1),
    });
    const comparison = compareResults(baseline, slower, ALL);
    const regressed = comparison.points.filter((p) => p.verdict === "regression");
    assert.equal(comparison.regressions, 12);
    assert.ok(regressed.every((p) => p.server === "quickjs" && p.dataset === "small"));
    assert.ok(regressed.every((p) => p.interval.low > 1.1 && p.interval.ratio > 1.15));
  });

  it("does not flag a slowdown whose interval reaches below the threshold", () => {
    // ±25% jitter: a 15% slower median is not certain enough to fail.
    const noisyBase = fixtureResults({ jitter: 0.25, seed: 3 });
    const noisy = fixtureResults({ jitter: 0.25, seed: 4, slowdown: () => 1.15 });
    const comparison = compareResults(noisyBase, noisy, ALL);
    assert.ok(comparison.regressions < comparison.points.length / 4, `${comparison.regressions} regressions`);
  });

  it("calls a point faster only when the whole interval is below 1/(1+threshold)", () => {
    const faster = fixtureResults({ seed: 2, slowdown: (p) => (p.server === "typescript" ? 0.5 : 1) });
    const comparison = compareResults(baseline, faster, ALL);
    assert.equal(comparison.points.filter((p) => p.verdict === "improvement").length, 20);
    assert.equal(comparison.regressions, 0);
  });

  it("lists points present in one file only, with the reason", () => {
    const current = fixtureResults({ seed: 2, sizes: { small: [100, 1_000, 100_000] } });
    current.measurements
      .filter((m) => m.key.startsWith("docker-3.4.3/q1/small/100/quickjs/"))
      .forEach((m) => {
        m.status = "errored";
        delete m.build;
      });
    const comparison = compareResults(baseline, current, ALL);
    const reasons = comparison.unmatched.map(
      (p) => `${p.dataset}/${p.docCount}/${p.server}/${p.couchdbVersion}/q${p.q}: ${p.reason}`,
    );
    assert.ok(reasons.includes("small/100/quickjs/3.4.3/q1: no completed build in current"));
    assert.ok(reasons.includes("small/10000/javascript/3.4.3/q1: not in current"));
    assert.ok(reasons.includes("small/100000/javascript/3.4.3/q1: not in baseline"));
    assert.ok(reasons.includes("large/100/javascript/3.4.3/q1: not in current"));
  });

  it("notices runs from different machines and CouchDB setups", () => {
    const current = fixtureResults({ hostname: "laptop", cpuModel: "Apple M3" });
    current.targets = current.targets.map((t) => ({
      ...t,
      jsEngine: t.couchdbVersion === "3.5.0" ? "quickjs" : t.jsEngine,
    }));
    const fields = compareResults(baseline, current, ALL).environment.map(
      (d) => `${d.field}: ${d.baseline} → ${d.current}`,
    );
    assert.deepEqual(fields, [
      "host.cpuModel: AMD EPYC 7763 64-Core Processor → Apple M3",
      "host.hostname: fv-az1234-567 → laptop",
      "CouchDB 3.5.0 jsEngine: spidermonkey 128 → quickjs",
    ]);
  });
});

describe("compareResults --relative-to", () => {
  const relative = { threshold: 0.1, relativeTo: "javascript" };

  it("a run on a 30% slower machine fails raw but not relative to couchjs", () => {
    const slowMachine = fixtureResults({ seed: 2, slowdown: () => 1.3 });
    assert.ok(compareResults(baseline, slowMachine, { threshold: 0.1 }).regressions > 10);
    const comparison = compareResults(baseline, slowMachine, relative);
    assert.equal(comparison.regressions, 0);
    const gated = comparison.points.filter((p) => p.gated);
    assert.ok(gated.length > 0);
    // The fixture jitters every build on its own (±4%), so a ratio of ratios moves by up to ~8%.
    for (const p of gated)
      assert.ok(
        Math.abs(p.relative!.interval.ratio - 1) < 0.1,
        `${p.server} ${p.docCount}: ${p.relative!.interval.ratio}`,
      );
  });

  it("a 25% slower typescript on a 20% faster machine: raw unchanged, relative regression", () => {
    const current = fixtureResults({ seed: 2, slowdown: (p) => (p.server === "typescript" ? 1.25 : 1) * 0.8 });
    const comparison = compareResults(baseline, current, relative);
    const typescript = comparison.points.filter((p) => p.server === "typescript" && p.gated);
    assert.ok(typescript.length > 0);
    for (const p of typescript) {
      assert.equal(p.verdict, "regression");
      assert.ok(p.interval.low < 1.1, `raw interval ${p.interval.low}–${p.interval.high} is within the threshold`);
    }
    assert.equal(comparison.regressions, typescript.length);
  });

  it("divides repeat by repeat and leaves the reference server ungated", () => {
    const comparison = compareResults(baseline, fixtureResults({ seed: 2 }), relative);
    const reference = comparison.points.filter((p) => p.server === "javascript");
    assert.ok(reference.every((p) => !p.gated && p.ungatedReason === "reference server" && !p.relative));
    const point = comparison.points.find(
      (p) =>
        p.server === "typescript" &&
        p.dataset === "small" &&
        p.docCount === 10_000 &&
        p.q === 1 &&
        p.couchdbVersion === "3.4.3",
    )!;
    const byRepeat = (file: typeof baseline, server: string) =>
      file.measurements
        .filter((m) => m.key.startsWith(`docker-3.4.3/q1/small/10000/${server}/`))
        .map((m) => m.build!.ms);
    const ratios = byRepeat(baseline, "typescript")
      .map((ms, i) => ms / byRepeat(baseline, "javascript")[i]!)
      .sort((a, b) => a - b);
    assert.equal(point.relative!.baseline.median, ratios[1]);
    assert.equal(point.relative!.baseline.n, 3);
  });
});

describe("the minimum build time", () => {
  const slower = fixtureResults({ seed: 2, slowdown: (p) => (p.server === "typescript" ? 1.5 : 1) });

  it("gates only points whose builds all reach it, and marks the others", () => {
    const comparison = compareResults(baseline, slower, { threshold: 0.1 });
    assert.equal(comparison.minBuildMs, 1000);
    for (const p of comparison.points) {
      const long = Math.min(p.baseline.median, p.current.median) >= 1000;
      assert.equal(p.gated, long, `${p.dataset} ${p.docCount} ${p.server}`);
      if (!long) assert.equal(p.ungatedReason, "builds < 1.00 s");
    }
    const flagged = comparison.points.filter((p) => p.server === "typescript" && p.gated);
    assert.ok(flagged.length > 0 && flagged.length < 20);
    assert.equal(comparison.regressions, flagged.length);
    assert.match(renderComparisonText(comparison), /not gated: builds < 1\.00 s/);
  });

  it("counts a short point's slowdown once the gate is lowered", () => {
    assert.equal(compareResults(baseline, slower, ALL).regressions, 20);
  });
});

describe("compareServersInRun (pull-request A/B)", () => {
  const run = (slowdown: number) => {
    const head = fixtureResults({ seed: 2, slowdown: (p) => (p.server === "typescript" ? slowdown : 1) });
    const base = baseline.measurements
      .filter((m) => m.server === "typescript")
      .map((m) => ({ ...m, server: "typescript_base", key: m.key.replace("/typescript/", "/typescript_base/") }));
    return { ...head, measurements: [...base, ...head.measurements] };
  };

  it("finds no regression between two builds of the same server", () => {
    const comparison = compareServersInRun(run(1), "typescript_base", "typescript", ALL);
    assert.equal(comparison.points.length, 20);
    assert.ok(comparison.points.every((p) => p.server === "typescript"));
    assert.equal(comparison.regressions, 0);
  });

  it("flags the head when it is slower than the base", () => {
    assert.equal(compareServersInRun(run(1.4), "typescript_base", "typescript", ALL).regressions, 20);
  });
});

describe("verdictFor", () => {
  const interval = (low: number, high: number) => ({
    ratio: (low + high) / 2,
    low,
    high,
    confidence: 0.95,
    resampled: true,
  });
  it("needs the whole interval past the threshold", () => {
    assert.equal(verdictFor(interval(1.11, 1.3), 0.1), "regression");
    assert.equal(verdictFor(interval(1.09, 1.3), 0.1), "unchanged");
    assert.equal(verdictFor(interval(0.7, 0.9), 0.1), "improvement");
    assert.equal(verdictFor(interval(0.7, 0.95), 0.1), "unchanged");
  });
});

describe("comparison renderers", () => {
  const current = fixtureResults({
    seed: 2,
    hostname: "laptop",
    sizes: { small: [100, 1_000, 10_000], large: [100] },
    slowdown: (p) => (p.server === "quickjs" && p.docCount === 10_000 ? 1.3 : 1),
  });
  const comparison = compareResults(baseline, current, ALL);

  it("text: warning first, a table, the unmatched points and the conclusion", () => {
    const text = renderComparisonText(comparison);
    const lines = text.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^warning: runs are from different machines or CouchDB setups \(host.hostname fv-az1234-567 → laptop\)/,
    );
    assert.match(text, /^Dataset +Docs +Server +CouchDB +q +Baseline +Current +Ratio +Interval +Change +Verdict$/m);
    assert.match(
      text,
      /^small +10k +quickjs +3\.4\.3 +1 +[\d.]+ s \(n=3\) +[\d.]+ s \(n=3\) +1\.\d\d× +1\.\d\d–1\.\d\d +\+\d+\.\d% +SLOWER$/m,
    );
    assert.match(text, /^Not compared \(12\):$/m);
    assert.match(text, /^ {2}large 1k docs, javascript, CouchDB 3\.4\.3, q=1: not in current$/m);
    assert.equal(lines.at(-1), "Regression: 4 points are slower than +10.0% with 95% confidence.");
  });

  it("markdown: alert, bold conclusion, table and collapsed unmatched list", () => {
    const md = renderComparisonMarkdown(comparison);
    assert.match(md, /^### couchbench comparison\n\n> \[!WARNING\]\n> Runs are from different machines/);
    assert.match(md, /\*\*Regression: 4 points are slower than \+10\.0% with 95% confidence\.\*\*/);
    assert.match(md, /\| 🔴 \*\*slower\*\* \|/);
    assert.match(md, /<details><summary>Not compared \(12\)<\/summary>\n\n- large 1k docs/);
  });

  it("says plainly when there is nothing to compare or no regression", () => {
    const same = compareResults(baseline, fixtureResults({ seed: 2 }), ALL);
    assert.match(
      renderComparisonText(same),
      /No regression: no gated point \(60 of 60\) is slower than \+10\.0% with 95% confidence\.\n$/,
    );
    const empty = compareResults(baseline, { ...baseline, measurements: [] }, ALL);
    assert.match(renderComparisonMarkdown(empty), /Nothing to compare|nothing to compare/);
  });
});
