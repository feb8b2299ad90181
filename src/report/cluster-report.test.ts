import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResultsFile } from "../results/results-format.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { buildChartPayload } from "./chart-data.js";
import { compareResults } from "./compare.js";
import { renderCsv } from "./csv.js";
import { environmentSection } from "./environment-section.js";
import { renderMarkdownSummary } from "./markdown-summary.js";
import { collectPoints, seriesKey } from "./points.js";

const NODES = ["couchdb1-41000@127.0.0.1", "couchdb2-41000@127.0.0.1", "couchdb3-41000@127.0.0.1"];

/** The clean fixture as a 3-node cluster run with --n 1,3: every build twice, n=3 copies slower to finish. */
function clusterResults(slowdownAtN3 = 1): ResultsFile {
  const file = fixtureResults({ clean: true, runId: "cluster" });
  return {
    ...file,
    targets: file.targets.map((t) => ({
      ...t,
      cluster: {
        nodeCount: 3,
        allNodes: NODES,
        clusterNodes: NODES,
        nodes: NODES.map((name) => ({ name, couchdbVersion: t.couchdbVersion, jsEngine: t.jsEngine! })),
      },
    })),
    measurements: [1, 3].flatMap((n) =>
      file.measurements.map((m) => {
        const ms = m.build!.ms * (n === 3 ? slowdownAtN3 : 1);
        return {
          ...m,
          key: m.key.replace(/\/q(\d+)\//, `/q$1/n${n}/`),
          n,
          build: { ...m.build!, ms, allCopiesMs: ms * (n === 3 ? 1.4 : 1.02), copies: m.q * n },
        };
      }),
    ),
  };
}

test("points of different n are different points and series", () => {
  const points = collectPoints(clusterResults());
  const single = collectPoints(fixtureResults({ clean: true }));
  assert.equal(points.length, 2 * single.length);
  assert.deepEqual([...new Set(points.map((p) => p.n))], [1, 3]);
  assert.ok(points.every((p) => p.allCopiesMs.length === p.buildMs.length && p.allCopiesMs.length > 0));
  const shown = { designDoc: false, ids: false };
  assert.equal(
    seriesKey({ server: "typescript", couchdbVersion: "3.4.3", q: 2, n: 3, ids: "", designDoc: "" }, shown),
    "typescript · 3.4.3 · q2 · n3",
  );
  assert.equal(
    seriesKey({ server: "typescript", couchdbVersion: "3.4.3", q: 2, ids: "", designDoc: "" }, shown),
    "typescript · 3.4.3 · q2",
    "single-node labels unchanged",
  );
});

test("compare matches points by n too: a slowdown at n=3 is a regression at n=3 only", () => {
  const comparison = compareResults(clusterResults(), clusterResults(1.5), { threshold: 0.1 });
  assert.equal(comparison.unmatched.length, 0);
  const regressed = comparison.points.filter((p) => p.verdict === "regression");
  assert.ok(regressed.length > 0);
  assert.deepEqual([...new Set(regressed.map((p) => p.n))], [3]);
  assert.ok(comparison.points.filter((p) => p.n === 1).every((p) => p.verdict === "unchanged"));
  const onlyN1 = clusterResults();
  onlyN1.measurements = onlyN1.measurements.filter((m) => m.n === 1);
  const partial = compareResults(clusterResults(), onlyN1, { threshold: 0.1 });
  assert.ok(partial.unmatched.length > 0 && partial.unmatched.every((p) => p.n === 3 && p.reason === "not in current"));
});

test("the every-copy build time is charted, tabled and exported for clusters, and absent for single nodes", () => {
  const payload = buildChartPayload([clusterResults()]);
  for (const dataset of payload.datasets) {
    const chart = dataset.charts.find((c) => c.id.endsWith("-all-copies"));
    assert.ok(chart, `${dataset.dataset} has the every-copy chart`);
    assert.ok(chart.series.some((s) => s.label.endsWith("· n3")));
    const build = dataset.charts.find((c) => c.id.endsWith("-build"))!;
    const label = "javascript · 3.4.3 · q1 · n3";
    const [answered, everyCopy] = [build, chart].map((c) => c.series.find((s) => s.label === label)!.median);
    answered.forEach(
      (value, i) =>
        value !== null && assert.ok(everyCopy[i]! > value, "every copy takes longer than the first answer at n=3"),
    );
  }
  assert.ok(
    !buildChartPayload([fixtureResults({ clean: true })]).datasets.some((d) =>
      d.charts.some((c) => c.id.endsWith("-all-copies")),
    ),
  );

  const markdown = renderMarkdownSummary([clusterResults()]);
  assert.match(markdown, /\| Every copy \|/);
  assert.match(markdown, /in a 3-node cluster/);
  assert.match(markdown, /\| 1 · n3 \|/);
  assert.doesNotMatch(renderMarkdownSummary([fixtureResults({ clean: true })]), /Every copy/);

  const [header, first] = renderCsv([clusterResults()]).split("\r\n");
  const columns = header!.split(",");
  const row = first!.split(",");
  assert.equal(row[columns.indexOf("n")], "1");
  assert.ok(Number(row[columns.indexOf("buildAllCopiesMs")]) > Number(row[columns.indexOf("buildMs")]));
  assert.equal(row[columns.indexOf("clusterNodes")], "3");
});

test("the environment section lists every cluster node with its version and JS engine", () => {
  const html = environmentSection([clusterResults()]);
  assert.match(html, /<h3>Cluster nodes<\/h3>/);
  for (const name of NODES) assert.ok(html.includes(name));
  assert.doesNotMatch(environmentSection([fixtureResults({ clean: true })]), /Cluster nodes/);
});
