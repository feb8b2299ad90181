import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { estimateIngestMs, searchSteps } from "../bench/ingest/ingest-estimate.js";
import { estimateTargetStartMs } from "../bench/plan.js";
import type { IngestResults } from "../results/ingest-format.js";
import { INGEST_DEFAULTS } from "./ingest-options.js";
import { resolveRunConfig } from "./run-options.js";

/** The published ingest runs (results/published/README.md has their commands), each with its plan and steps. */
const PUBLISHED = fileURLToPath(new URL("../../results/published/", import.meta.url));
const runs = readdirSync(PUBLISHED)
  .filter((folder) => folder.startsWith("ingest-"))
  .map((folder) => ({
    folder,
    run: JSON.parse(readFileSync(join(PUBLISHED, folder, "ingest.json"), "utf8")) as IngestResults,
  }));

test("the published ingest runs are there to calibrate against, one with --find-max", () => {
  assert.ok(runs.length >= 4, `${runs.length} published ingest runs`);
  assert.ok(runs.some(({ run }) => run.plan.findMax));
});

for (const { folder, run } of runs)
  test(`ingest's estimate is within 25% of what the published ${folder} took`, () => {
    // createdAt is written before the target starts, updatedAt with the last step.
    const tookMs = Date.parse(run.updatedAt) - Date.parse(run.createdAt);
    const { plan } = run;
    const estimateMs = estimateIngestMs({
      ...plan,
      serverCount: plan.servers.length,
      targetCount: run.targets.length,
      searchLimits: { minRate: 1, maxRate: Number(INGEST_DEFAULTS.maxRate) },
      targetStartMs: estimateTargetStartMs(resolveRunConfig({ url: run.targets[0]!.url })),
    });
    const ratio = estimateMs / tookMs;
    assert.ok(
      ratio > 0.75 && ratio < 1.25,
      `estimated ${Math.round(estimateMs / 1000)} s for a run that took ${Math.round(tookMs / 1000)} s`,
    );
  });

test("the search's step count is the one the published --find-max run made", () => {
  for (const { run } of runs.filter(({ run }) => run.plan.findMax)) {
    const searched = run.steps.filter((step) => step.searched).length;
    const expected = searchSteps(run.plan.rates, { minRate: 1, maxRate: Number(INGEST_DEFAULTS.maxRate) }).expected;
    assert.equal(searched, expected * run.plan.servers.length);
  }
});
