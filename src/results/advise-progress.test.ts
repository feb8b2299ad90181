import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { advisedVariant } from "../test-support/advise-fixture.js";
import { validateAdviseProgress } from "../test-support/advise-schema.js";
import { AdviseProgressStore } from "./advise-progress.js";

const OPTIONS = {
  designDoc: "classic",
  views: "hash",
  dataset: "medium",
  docCount: 10,
  repeat: 2,
  seed: 1,
  servers: ["javascript"],
  target: "running server http://127.0.0.1:5984",
};

test("every save leaves one whole, valid file; resume reads back what was saved and leaves no temporary files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-advise-progress-"));
  const path = join(dir, "nested", "advise-progress.json");
  const store = await AdviseProgressStore.create(path, "r1", OPTIONS);
  const result = advisedVariant("original", "original", [100]);
  // Saves are queued: issued together, they land in order and the last one wins.
  await Promise.all([
    store.saveResult("original", result),
    store.saveOutput("original", {
      digest: "d",
      parts: { v: "p" },
      rowsByView: { v: 3 },
      reductions: {},
      definitionProblems: [],
    }),
    store.saveReads("original", [12, 13]),
    store.finish("interrupted"),
  ]);
  const written = JSON.parse(await readFile(path, "utf8")) as unknown;
  assert.ok(validateAdviseProgress(written), JSON.stringify(validateAdviseProgress.errors));
  assert.deepEqual(await readdir(join(dir, "nested")), ["advise-progress.json"]);

  const resumed = await AdviseProgressStore.resume(path);
  assert.equal(resumed?.snapshot.status, "interrupted", "as the run left it, until it measures again");
  assert.deepEqual(resumed?.snapshot.results.original?.builds, result.builds);
  assert.deepEqual(resumed?.snapshot.reads, { original: [12, 13] });
  // A result saved is a copy: changing the live one afterwards does not change what was saved.
  result.builds.push({ repeat: 2, order: 1, ms: 5, queryServerStats: {} });
  await store.finish("interrupted");
  assert.equal(
    (JSON.parse(await readFile(path, "utf8")) as { results: Record<string, { builds: unknown[] }> }).results.original!
      .builds.length,
    1,
  );
});

test("resume of a missing or foreign file is undefined, and the schema rejects credentials in the target", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-advise-progress-"));
  assert.equal(await AdviseProgressStore.resume(join(dir, "none.json")), undefined);
  const store = await AdviseProgressStore.create(join(dir, "p.json"), "r", {
    ...OPTIONS,
    target: "running server http://admin:secret@127.0.0.1:5984",
  });
  assert.equal(validateAdviseProgress(store.snapshot), false);
});
