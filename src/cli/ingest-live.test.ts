/**
 * `couchbench ingest` against a real CouchDB (COUCHBENCH_TEST_URL): every server couchbench
 * knows, short steps, the results file valid against its schema, the report written, and no
 * database left behind. Ctrl-C mid-step: exit 130, a valid file marked interrupted with the step
 * in flight dropped, nothing left on the server, and --resume finishing the rest.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import { readValidIngest } from "../test-support/ingest-schema.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { LOCAL_NODE_STARTING, nodeRuns } from "../test-support/local-node.js";
import { runCli, startCli } from "../test-support/run-cli.js";

const SHORT = [
  "--rates",
  "100",
  "--write",
  "bulk:10",
  "--duration",
  "3",
  "--warmup",
  "1",
  "--sentinel-interval",
  "200",
];

async function leftovers(url: string, runId: string): Promise<string[]> {
  return (await new CouchClient(url).allDatabases()).filter((db) => db.startsWith(`couchbench-ingest-${runId}-`));
}

test(
  "reader mode with javascript, quickjs, typescript and erlang: a valid file, lag measured for each, a report, nothing left",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const out = await mkdtemp(join(tmpdir(), "couchbench-ingest-"));
    const runId = `live-${process.pid}`;
    const servers = ["javascript", "quickjs", "typescript", "erlang"];
    const result = runCli(
      ["ingest", "--url", liveCouchUrl, "--servers", servers.join(","), ...SHORT, "--out", out, "--run-id", runId],
      { timeoutMs: 280_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const results = await readValidIngest(join(out, runId, "ingest.json"));
    assert.equal(results.status, "completed");
    assert.deepEqual(results.steps.map((step) => step.server).sort(), [...servers].sort());
    for (const step of results.steps) {
      assert.notEqual(step.outcome, "errored", `${step.key}: ${step.error}`);
      assert.equal(step.writeErrors, 0, step.key);
      assert.equal(step.unseenSentinels, 0, `${step.key}: every sentinel became visible`);
      assert.ok(step.lag!.count >= 10, `${step.key}: ${step.lag!.count} sentinels measured`);
      assert.ok(step.readLatency!.count >= 5, `${step.key}: ${step.readLatency!.count} reads`);
      assert.ok(step.drainMs !== undefined, `${step.key} drained`);
    }
    assert.deepEqual(
      results.steps.map((step) => step.order),
      [1, 2, 3, 4],
    );
    assert.deepEqual(Object.keys(results.targets[0]!.freshnessConfig), ["ken", "view_updater"]);
    assert.equal(results.knees.length, 4);
    assert.match(result.stdout, /sustainable: javascript /);
    assert.ok(existsSync(join(out, runId, "ingest.html")));
    assert.deepEqual(await leftovers(liveCouchUrl, runId), []);
  },
);

test(
  "Ctrl-C mid-step: exit 130, a valid interrupted file without the step in flight, nothing left, --resume finishes",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const out = await mkdtemp(join(tmpdir(), "couchbench-ingest-int-"));
    const runId = `int-${process.pid}`;
    const args = ["ingest", "--url", liveCouchUrl, "--servers", "typescript", "--rates", "100,200", "--duration", "4"];
    const run = startCli([...args, "--warmup", "1", "--out", out, "--run-id", runId]);
    await run.waitFor(/typescript @ 200 docs\/s/);
    await run.waitFor(/writing \d/);
    run.child.kill("SIGINT");
    const exit = await run.exited;
    assert.equal(exit.status, 130, run.stderr());
    assert.doesNotMatch(run.stderr(), /internal error|\n\s+at /);
    const interrupted = await readValidIngest(join(out, runId, "ingest.json"));
    assert.equal(interrupted.status, "interrupted");
    assert.deepEqual(
      interrupted.steps.map((step) => `${step.rate} ${step.outcome}`),
      [`100 ${interrupted.steps[0]!.outcome}`],
      "the finished step is kept, the one in flight is not recorded",
    );
    assert.notEqual(interrupted.steps[0]!.outcome, "errored");
    assert.deepEqual(await leftovers(liveCouchUrl, runId), [], "the step's database is deleted");

    const resumed = runCli([...args, "--warmup", "1", "--out", out, "--resume", runId], { timeoutMs: 200_000 });
    assert.equal(resumed.status, 0, resumed.stderr);
    const results = await readValidIngest(join(out, runId, "ingest.json"));
    assert.equal(results.status, "completed");
    assert.deepEqual(
      results.steps.map((step) => step.rate),
      [100, 200],
    );
    assert.equal(
      results.steps[0]!.startedAt,
      interrupted.steps[0]!.startedAt,
      "the finished step was not measured again",
    );
    assert.deepEqual(await leftovers(liveCouchUrl, runId), []);
  },
);

test(
  "Ctrl-C mid-step on a local node couchbench started: exit 130, a valid interrupted file, the node is gone",
  { timeout: 180_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const out = await mkdtemp(join(tmpdir(), "couchbench-ingest-local-"));
    const run = startCli([
      "ingest",
      "--target",
      "local",
      "--couchdb-bin",
      liveCouchBin,
      "--servers",
      "javascript",
      "--rates",
      "200",
      "--duration",
      "30",
      "--out",
      out,
      "--run-id",
      "local-int",
    ]);
    const [, port] = await run.waitFor(LOCAL_NODE_STARTING);
    await run.waitFor(/writing \d/);
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    const results = await readValidIngest(join(out, "local-int", "ingest.json"));
    assert.equal(results.status, "interrupted");
    assert.deepEqual(results.steps, []);
    assert.equal(await nodeRuns(port!), false, `the CouchDB node on port ${port} is still running`);
  },
);
