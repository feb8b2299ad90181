import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { estimateBuildMs, estimateDurationMs, estimateTargetStartMs } from "../bench/plan.js";
import type { ResultsFile } from "../results/results-format.js";
import { resolveRunConfig } from "./run-options.js";
import { RunProgress } from "./run-progress.js";

/** The default run (`npx couchbench run`: CouchDB 3.5.2 in Docker, 2 cores), published with its command. */
const DEFAULT_RUN = fileURLToPath(new URL("../../results/published/default-run/results.json", import.meta.url));

test("the default run's estimate is within 25% of what the published default run took", () => {
  const run = JSON.parse(readFileSync(DEFAULT_RUN, "utf8")) as ResultsFile;
  const tookMs = Date.parse(run.updatedAt) - Date.parse(run.createdAt);
  const config = resolveRunConfig({});
  assert.equal(run.plan.plannedMeasurements, 63, "the published run is the default plan");
  const estimateMs = estimateDurationMs(config, 1);
  const ratio = estimateMs / tookMs;
  assert.ok(
    ratio > 0.75 && ratio < 1.25,
    `estimated ${Math.round(estimateMs / 1000)} s for a run that took ${Math.round(tookMs / 1000)} s`,
  );
});

test("replayed at the times it ran, the published default run prints no correction: its estimate held", () => {
  // The progress sees what the run saw: the target up when the first build started, then each
  // build finished at its recorded time. A correction from the first, fixed-cost-bound builds
  // (once "8.8× faster", then taken back in eight steps) would show here.
  const run = JSON.parse(readFileSync(DEFAULT_RUN, "utf8")) as ResultsFile;
  const config = resolveRunConfig({});
  const measurements = [...run.measurements].sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
  let clock = Date.parse(run.createdAt);
  const lines: string[] = [];
  const progress = new RunProgress(
    measurements.length,
    estimateDurationMs(config, 1),
    (measurement) => estimateBuildMs(config, measurement),
    estimateTargetStartMs(config),
    { isTTY: false, write: (text: string) => (lines.push(text), true) },
    () => clock,
  );
  clock = Date.parse(measurements[0]!.startedAt);
  progress.handle({ type: "target-ready", target: run.targets[0]!, missing: [], rejected: [] });
  for (const measurement of measurements) {
    clock = Date.parse(measurement.finishedAt);
    progress.handle({ type: "measurement", measurement });
  }
  assert.deepEqual(
    lines.filter((line) => line.includes("estimate corrected")),
    [],
  );
});
