import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { estimateDurationMs } from "../bench/plan.js";
import type { ResultsFile } from "../results/results-format.js";
import { resolveRunConfig } from "./run-options.js";

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
