/**
 * Ctrl-C and SIGTERM against a real CouchDB: the run stops where it is, mislabels nothing,
 * leaves nothing running, and `--resume` finishes exactly what was left.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { ResultsFile } from "../results/results-format.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { readValidResults } from "../test-support/results-schema.js";
import { runCli, startCli } from "../test-support/run-cli.js";
import { LOCAL_NODE_STARTING, nodeRuns } from "../test-support/local-node.js";

const PLAN = ["--servers", "javascript,typescript", "--dataset", "medium", "--repeat", "2", "--run-id", "int"];
const FIRST_BUILD_DONE = /javascript #1 +build/;

async function outDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "couchbench-interrupt-"));
}

function assertNothingMislabelled(results: ResultsFile): void {
  assert.equal(results.status, "interrupted");
  assert.deepEqual(
    results.measurements.filter((m) => m.status !== "completed").map((m) => `${m.key}: ${m.status} ${m.error ?? ""}`),
    [],
    "an interrupt is not a failure",
  );
}

function assertResumedCompletely(results: ResultsFile, builds: number): void {
  assert.equal(results.status, "completed");
  assert.equal(results.measurements.length, builds);
  assert.equal(new Set(results.measurements.map((m) => m.key)).size, builds, "each build once");
  for (const m of results.measurements) {
    assert.equal(m.status, "completed", `${m.key}: ${m.error}`);
    assert.ok(m.update && m.update.ms > 0, `${m.key} got its update timing, measured before the interrupt or not`);
    assert.ok(
      ["reference", "match"].includes(m.correctness.status),
      `${m.key}: ${m.correctness.status} ${m.correctness.detail ?? ""}`,
    );
  }
  assert.equal(
    results.measurements.filter((m) => m.correctness.status === "reference").length,
    1,
    "one reference per point",
  );
}

test(
  "Ctrl-C mid-build (local target): exit 130, nothing recorded as failed, the node is gone, and --resume finishes exactly the rest",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const out = await outDir();
    const args = ["run", "--target", "local", "--couchdb-bin", liveCouchBin, ...PLAN, "--sizes", "1000", "--out", out];
    const run = startCli(args);
    const [, port] = await run.waitFor(LOCAL_NODE_STARTING);
    await run.waitFor(FIRST_BUILD_DONE);
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    const interrupted = await readValidResults(join(out, "int", "results.json"));
    assertNothingMislabelled(interrupted);
    assert.ok(
      interrupted.measurements.length >= 1 && interrupted.measurements.length < 4,
      `${interrupted.measurements.length} builds recorded`,
    );
    assert.equal(await nodeRuns(port!), false, `the CouchDB node on port ${port} is still running`);

    const resumed = runCli([...args, "--resume", "int"], { timeoutMs: 300_000 });
    assert.equal(resumed.status, 0, resumed.stderr);
    const results = await readValidResults(join(out, "int", "results.json"));
    assertResumedCompletely(results, 4);
    for (const before of interrupted.measurements) {
      assert.equal(
        results.measurements.find((m) => m.key === before.key)?.build?.ms,
        before.build?.ms,
        "finished builds are kept, not measured again",
      );
    }
  },
);

test(
  "Ctrl-C while the local target is still booting stops it: nothing is left running",
  { timeout: 120_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const run = startCli([
      "run",
      "--target",
      "local",
      "--couchdb-bin",
      liveCouchBin,
      ...PLAN,
      "--sizes",
      "100",
      "--out",
      await outDir(),
    ]);
    const [, port] = await run.waitFor(LOCAL_NODE_STARTING);
    await sleep(300);
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    assert.doesNotMatch(run.stderr(), /internal error|\n\s+at /);
    assert.equal(await nodeRuns(port!), false, `the CouchDB node on port ${port} outlived the interrupt`);
  },
);

test(
  "a second Ctrl-C during the clean-up exits at once and still leaves no node running",
  { timeout: 120_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const out = await outDir();
    const run = startCli([
      "run",
      "--target",
      "local",
      "--couchdb-bin",
      liveCouchBin,
      ...PLAN,
      "--sizes",
      "500",
      "--out",
      out,
    ]);
    const [, port] = await run.waitFor(LOCAL_NODE_STARTING);
    await run.waitFor(/loaded/);
    run.child.kill("SIGINT");
    await run.waitFor(/interrupted: stopping CouchDB/);
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    assert.match(run.stderr(), /SIGINT again: exiting now/);
    assert.equal(await nodeRuns(port!), false, `the CouchDB node on port ${port} outlived the second Ctrl-C`);
    await readValidResults(join(out, "int", "results.json"));
  },
);

test("SIGTERM (a CI runner's cancel) mid-build behaves as Ctrl-C", { timeout: 300_000 }, async (t) => {
  if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
  const out = await outDir();
  const run = startCli([
    "run",
    "--target",
    "local",
    "--couchdb-bin",
    liveCouchBin,
    ...PLAN,
    "--sizes",
    "1000",
    "--out",
    out,
  ]);
  const [, port] = await run.waitFor(LOCAL_NODE_STARTING);
  await run.waitFor(FIRST_BUILD_DONE);
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).status, 130, run.stderr());
  assertNothingMislabelled(await readValidResults(join(out, "int", "results.json")));
  assert.equal(await nodeRuns(port!), false, `the CouchDB node on port ${port} is still running`);
});

test(
  "a Ctrl-C as a finished run writes its reports does not kill it: exit 0, a completed file",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    for (let attempt = 0; attempt < 5; attempt++) {
      const out = await outDir();
      const run = startCli([
        "run",
        "--url",
        liveCouchUrl,
        ...PLAN,
        "--dataset",
        "small",
        "--sizes",
        "100",
        "--out",
        out,
      ]);
      await run.waitFor(/^results: /m);
      run.child.kill("SIGINT");
      const { status, signal } = await run.exited;
      assert.deepEqual({ status, signal }, { status: 0, signal: null }, run.stderr());
      assert.equal((await readValidResults(join(out, "int", "results.json"))).status, "completed");
    }
  },
);

test(
  "real runs interrupted at random moments always leave a results file that parses and validates",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    for (let attempt = 0; attempt < 8; attempt++) {
      const out = await outDir();
      const run = startCli([
        "run",
        "--url",
        liveCouchUrl,
        ...PLAN,
        "--dataset",
        "small",
        "--sizes",
        "300",
        "--out",
        out,
      ]);
      await run.waitFor(/couchbench run int/);
      await sleep(200 + Math.random() * 6000);
      run.child.kill("SIGINT");
      const { status } = await run.exited;
      assert.ok(status === 130 || status === 0, `exit ${status}: ${run.stderr()}`);
      const path = join(out, "int", "results.json");
      if (!existsSync(path)) continue; // interrupted before the file was created
      const results = await readValidResults(path);
      assert.equal(results.status, status === 0 ? "completed" : "interrupted");
      assert.deepEqual(
        results.measurements.filter((m) => m.status === "errored").map((m) => m.error),
        [],
      );
    }
  },
);
