/**
 * Ctrl-C in `couchbench advise` against a real CouchDB: the builds measured so far stay in
 * advise-progress.json, nothing is recorded as failed, the scratch databases are deleted, and
 * `--resume` makes exactly the builds that were left, keeping the others as they were measured.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import type { AdviseResults } from "../results/advise-format.js";
import type { AdviseProgressFile } from "../results/advise-progress.js";
import { validateAdvise, validateAdviseProgress } from "../test-support/advise-schema.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { runCli, startCli } from "../test-support/run-cli.js";

const REPEAT = 2;

test(
  "advise: Ctrl-C keeps every finished build on disk, and --resume makes only the rest",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const out = await mkdtemp(join(tmpdir(), "couchbench-advise-interrupt-"));
    const args = ["advise", "--url", liveCouchUrl, "--ddoc", "classic", "--docs", "150", "--repeat", `${REPEAT}`];
    const first = startCli([...args, "--run-id", "live-advise-int", "--out", out]);
    await first.waitFor(/server-quickjs #1 +build/);
    first.child.kill("SIGINT");
    assert.equal((await first.exited).status, 130, first.stderr());
    assert.match(first.stderr(), /continue with: couchbench advise <same options> --resume live-advise-int/);
    assert.ok(!existsSync(join(out, "advise.json")), "no results file for an unfinished run");

    const progressPath = join(out, "advise-progress.json");
    const interrupted = JSON.parse(await readFile(progressPath, "utf8")) as AdviseProgressFile;
    assert.ok(validateAdviseProgress(interrupted), JSON.stringify(validateAdviseProgress.errors));
    assert.equal(interrupted.status, "interrupted");
    const kept = Object.entries(interrupted.results).flatMap(([id, result]) =>
      result.builds.map((build) => ({ id, ...build })),
    );
    assert.ok(kept.length >= 2, `${kept.length} builds kept`);
    assert.deepEqual(
      Object.values(interrupted.results)
        .filter((result) => result.error)
        .map((result) => `${result.id}: ${result.error}`),
      [],
      "an interrupt is not a failure",
    );
    const client = new CouchClient(liveCouchUrl);
    assert.deepEqual(
      (await client.allDatabases()).filter((db) => db.includes("live-advise-int")),
      [],
      "scratch databases deleted",
    );

    const resumed = runCli([...args, "--resume", "live-advise-int", "--out", out], { timeoutMs: 600_000 });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming: ${kept.length} build\\(s\\) of the interrupted run are kept`));
    const results = JSON.parse(await readFile(join(out, "advise.json"), "utf8")) as AdviseResults;
    assert.ok(validateAdvise(results), JSON.stringify(validateAdvise.errors));
    for (const variant of results.variants) {
      assert.deepEqual(
        variant.builds.map((build) => build.repeat).sort(),
        Array.from({ length: REPEAT }, (_, i) => i + 1),
        `${variant.id}: each repeat once`,
      );
      assert.ok(["reference", "match"].includes(variant.output.status), `${variant.id}: ${variant.output.detail}`);
    }
    for (const build of kept.filter(({ id }) => results.variants.some((variant) => variant.id === id))) {
      const again = results.variants
        .find((variant) => variant.id === build.id)!
        .builds.find((b) => b.repeat === build.repeat);
      assert.equal(again?.ms, build.ms, `${build.id} #${build.repeat} kept as measured, not rebuilt`);
    }
    const completed = JSON.parse(await readFile(progressPath, "utf8")) as AdviseProgressFile;
    assert.equal(completed.status, "completed");
    const again = runCli([...args, "--resume", "live-advise-int", "--out", out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /that run completed/);
  },
);
