import assert from "node:assert/strict";
import { test } from "node:test";
import { configCombinations, parseConfigOption } from "../couch/config-settings.js";
import {
  buildSteps,
  databaseGroups,
  measurementKey,
  planPoints,
  pointLabel,
  summarisePlan,
  targetSettings,
} from "./plan.js";
import { sampleRunConfig } from "../test-support/sample-results.js";

const memoryCaps = configCombinations([parseConfigOption("view_updater/queue_memory_cap=100000,10485760")]);

test("--config combinations rotate with the servers, outermost, and order counts a design doc's builds", () => {
  const steps = buildSteps(["javascript", "quickjs"], 2, ["classic"], ["cap=1", "cap=2"]);
  assert.deepEqual(
    steps.map((s) => `${s.repeat}:${s.config}:${s.server}:${s.order}`),
    [
      "1:cap=1:javascript:1",
      "1:cap=1:quickjs:2",
      "1:cap=2:javascript:3",
      "1:cap=2:quickjs:4",
      "2:cap=2:quickjs:1",
      "2:cap=2:javascript:2",
      "2:cap=1:quickjs:3",
      "2:cap=1:javascript:4",
    ],
  );
  // Without --config nothing changes: no config on the steps.
  assert.ok(buildSteps(["javascript"], 1, ["classic"]).every((s) => !("config" in s)));
});

test("measurement keys name the setting only with --config, and stay unique across settings", () => {
  const config = sampleRunConfig("classic", { configCombinations: memoryCaps });
  const point = planPoints(config)[0]!;
  const step = { designDoc: "classic", server: "javascript", repeat: 1 };
  assert.equal(measurementKey("local", point, step), `local/${pointLabel(point)}/classic/javascript/1`);
  const keys = buildSteps(
    config.servers,
    2,
    ["classic"],
    ["view_updater/queue_memory_cap=100000", "view_updater/queue_memory_cap=10485760"],
  ).map((s) => measurementKey("local", point, s));
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys[0]!.endsWith("/javascript/view_updater/queue_memory_cap=100000/1"), keys[0]);
});

test("the plan summary counts a build per combination and records the combinations", () => {
  const plain = sampleRunConfig("quick");
  const withConfig = sampleRunConfig("quick", { configCombinations: memoryCaps });
  const summary = summarisePlan(withConfig, 1);
  assert.equal(summary.plannedMeasurements, 2 * summarisePlan(plain, 1).plannedMeasurements);
  assert.deepEqual(summary.config, { combinations: memoryCaps, order: "rotated" });
  assert.equal(summarisePlan(plain, 1).config, undefined);
});

test("start-up settings group the combinations into one target start each; run-time ones share a start", () => {
  assert.deepEqual(targetSettings(undefined), [{ start: [], combinations: [] }]);
  assert.deepEqual(targetSettings(memoryCaps), [{ start: [], combinations: memoryCaps }]);
  const mixed = configCombinations([
    parseConfigOption("quickjs/memory_limit_bytes=default,67108864"),
    parseConfigOption("view_updater/queue_memory_cap=100000,10485760"),
  ]);
  const groups = targetSettings(mixed);
  assert.equal(groups.length, 2);
  assert.deepEqual(groups[0]!.start, [{ section: "quickjs", key: "memory_limit_bytes", value: null }]);
  assert.deepEqual(groups[1]!.start, [{ section: "quickjs", key: "memory_limit_bytes", value: "67108864" }]);
  assert.ok(groups.every((g) => g.combinations.length === 2));
});

test("settings read when a database opens group the combinations: each group gets databases of its own", () => {
  assert.deepEqual(databaseGroups([]), [[]]);
  assert.deepEqual(databaseGroups(memoryCaps), [memoryCaps]);
  const mixed = configCombinations([
    parseConfigOption("couchdb/file_compression=snappy,deflate_6"),
    parseConfigOption("view_updater/queue_memory_cap=100000,10485760"),
  ]);
  const groups = databaseGroups(mixed);
  assert.equal(groups.length, 2);
  assert.ok(groups[0]!.every((c) => c[0]!.value === "snappy"));
  assert.ok(groups[1]!.every((c) => c[0]!.value === "deflate_6"));
});
