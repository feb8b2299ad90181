import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConfigSetting, ResultsFile } from "../results/results-format.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { assertValidResults } from "../test-support/results-schema.js";
import { buildChartPayload } from "./chart-data.js";
import { compareResults } from "./compare.js";
import { renderCsv } from "./csv.js";
import { environmentSection } from "./environment-section.js";
import { settingsOrder } from "./config-section.js";
import { renderMarkdownSummary } from "./markdown-summary.js";
import { collectPoints } from "./points.js";

const CAPS = ["100000", "10485760"];
const setting = (value: string): ConfigSetting[] => [{ section: "view_updater", key: "queue_memory_cap", value }];

/**
 * The clean fixture as a --config view_updater/queue_memory_cap=100000,10485760 run; the second cap `factor` × as slow.
 */
function configResults(factor = 1): ResultsFile {
  const file = fixtureResults({ clean: true, runId: "config" });
  return {
    ...file,
    plan: { ...file.plan, config: { combinations: CAPS.map(setting), order: "rotated" } },
    targets: file.targets.map((t) => ({
      ...t,
      configRestore: {
        status: "restored",
        previous: [{ node: "couchdb@127.0.0.1", section: "view_updater", key: "queue_memory_cap", value: null }],
        at: "2026-12-04T22:00:00.000Z",
      },
    })),
    measurements: CAPS.flatMap((cap, i) =>
      file.measurements.map((m) => ({
        ...m,
        key: m.key.replace(/\/(\d+)$/, `/view_updater/queue_memory_cap=${cap}/$1`),
        config: setting(cap),
        build: { ...m.build!, ms: m.build!.ms * (i === 1 ? factor : 1) },
      })),
    ),
  };
}

test("a --config results file is valid against the schema", () => {
  assertValidResults(configResults());
});

test("each setting is a point and a series of its own, labelled with the short setting", () => {
  const points = collectPoints(configResults());
  assert.equal(points.length, 2 * collectPoints(fixtureResults({ clean: true })).length);
  assert.deepEqual(
    [...new Set(points.map((p) => p.config))],
    ["view_updater/queue_memory_cap=100000", "view_updater/queue_memory_cap=10485760"],
  );
  const labels = buildChartPayload([configResults()]).datasets[0]!.charts[0]!.series.map((s) => s.label);
  assert.ok(labels.includes("javascript · 3.4.3 · q1 · queue_memory_cap=100000"), labels.join("\n"));
  assert.ok(labels.includes("javascript · 3.4.3 · q1 · queue_memory_cap=10485760"));
  // Runs without --config keep their labels.
  const plain = buildChartPayload([fixtureResults({ clean: true })]).datasets[0]!.charts[0]!.series.map((s) => s.label);
  assert.ok(plain.every((label) => !label.includes("=")));
});

test("compare matches points by setting: a slower second setting is a regression of that setting only", () => {
  const comparison = compareResults(configResults(), configResults(1.5), { threshold: 0.1 });
  assert.equal(comparison.unmatched.length, 0);
  const regressed = comparison.points.filter((p) => p.verdict === "regression");
  assert.ok(regressed.length > 0);
  assert.deepEqual([...new Set(regressed.map((p) => p.config))], ["view_updater/queue_memory_cap=10485760"]);
  const plain = compareResults(configResults(), fixtureResults({ clean: true }), { threshold: 0.1 });
  assert.equal(plain.points.length, 0, "a setting is not matched with a run without it");
});

test("the summary gets a Settings column, the CSV a config column, the environment the combinations and restores", () => {
  assert.match(renderMarkdownSummary([configResults()]), /\| Settings +\|/);
  assert.match(renderMarkdownSummary([configResults()]), /queue_memory_cap=10485760/);
  assert.doesNotMatch(renderMarkdownSummary([fixtureResults({ clean: true })]), /Settings/);
  const [header, first] = renderCsv([configResults()]).split("\r\n");
  assert.equal(first!.split(",")[header!.split(",").indexOf("config")], "view_updater/queue_memory_cap=100000");
  const html = environmentSection([configResults()]);
  assert.match(html, /CouchDB settings \(--config\)/);
  assert.match(html, /view_updater\/queue_memory_cap=10485760/);
  assert.match(html, /restored at 2026-12-04T22:00:00.000Z/);
  assert.match(html, /couchdb@127.0.0.1 view_updater\/queue_memory_cap=\(unset\)/);
  assert.doesNotMatch(environmentSection([fixtureResults({ clean: true })]), /--config/);
  assert.deepEqual(settingsOrder(configResults()).slice(0, 1), [
    "1: queue_memory_cap=100000 → queue_memory_cap=10485760",
  ]);
});
