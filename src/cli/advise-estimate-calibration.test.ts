import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { estimateAdviseMs } from "../bench/advise/advise-plan.js";
import { loadUserDesignDoc } from "../bench/advise/user-design-doc.js";
import { deriveVariants } from "../bench/advise/variants.js";
import { estimateTargetStartMs } from "../bench/plan.js";
import type { AdviseResults } from "../results/advise-format.js";
import { resolveRunConfig } from "./run-options.js";

/** `couchbench advise --url … --ddoc classic --docs 2000 --repeat 3` on CouchDB 3.4.3, published with its command. */
const PUBLISHED = fileURLToPath(new URL("../../results/published/advise-classic/advise.json", import.meta.url));

test("advise's estimate is within 25% of what the published classic advise run took", async () => {
  const run = JSON.parse(readFileSync(PUBLISHED, "utf8")) as AdviseResults;
  // createdAt is taken before the target starts, finishedAt once every build is made and checked.
  const tookMs = Date.parse(run.finishedAt) - Date.parse(run.createdAt);
  const { design } = await loadUserDesignDoc("classic");
  // The plan the run made on that CouchDB: the variants it derived from what the CouchDB answered.
  const derived = deriveVariants(design, {
    availableServers: run.target.availableServers,
    servers: run.plan.servers!,
    defaultQ: run.plan.originalQ,
    ...(run.plan.hostCores ? { hostCores: run.plan.hostCores } : {}),
    generatedIds: true,
    couchdbVersion: run.target.couchdbVersion,
  });
  const all = [derived.original, ...derived.variants];
  assert.deepEqual(
    all.map((variant) => variant.id),
    run.variants.map((variant) => variant.id),
    "the published run's variants are the plan's",
  );
  assert.ok(run.combined, "the published run built an advised design doc, as the estimate assumes");
  const estimateMs = estimateAdviseMs(all, {
    dataset: run.plan.dataset,
    docCount: run.plan.docCount,
    repeat: run.plan.repeat,
    targetStartMs: estimateTargetStartMs(resolveRunConfig({ url: run.target.url })),
  });
  const ratio = estimateMs / tookMs;
  assert.ok(
    ratio > 0.75 && ratio < 1.25,
    `estimated ${Math.round(estimateMs / 1000)} s for a run that took ${Math.round(tookMs / 1000)} s`,
  );
});
