/**
 * `--config` against real CouchDB nodes couchbench starts for the test (the shared server's
 * settings are never touched): a 2-node cluster given by `--url`, so every node is set and
 * restored — after a complete run, after Ctrl-C, and after a value CouchDB refuses.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import { LocalClusterTarget } from "../couch/targets/local-cluster-target.js";
import type { StartedCouch } from "../couch/targets/target.js";
import type { AdviseResults } from "../results/advise-format.js";
import { liveCouchBin, SKIP_NO_BIN } from "../test-support/live-couch.js";
import { nodeSettings } from "../test-support/node-settings.js";
import { readValidResults } from "../test-support/results-schema.js";
import { runCli, startCli } from "../test-support/run-cli.js";

/** Settings the test's runs change, and what each node has before them: one set by hand, one not set at all. */
const WATCHED = [
  ["view_updater", "queue_memory_cap"],
  ["view_updater", "min_writer_items"],
  ["view_updater", "queue_memroy_cap"],
] as const;

let cluster: StartedCouch | undefined;

before(async () => {
  if (!liveCouchBin) return;
  cluster = await new LocalClusterTarget("config-test", liveCouchBin, 2).start(() => {});
  const client = new CouchClient(cluster.url);
  for (const node of (await client.membership()).cluster_nodes)
    await client.setNodeConfig(node, "view_updater", "queue_memory_cap", "55555");
});

after(async () => {
  await cluster?.stop();
});

/** Every node's value of every watched key (`null`: not set), read through `_config`. */
function watchedConfig(): Promise<Record<string, string | null>> {
  return nodeSettings(cluster!.url, WATCHED);
}

function runArgs(out: string, runId: string, extra: string[]): string[] {
  return [
    ...["run", "--url", cluster!.url, "--servers", "javascript", "--dataset", "small", "--q", "1"],
    ...["--update", "0", "--out", out, "--run-id", runId, ...extra],
  ];
}

test(
  "a complete run sets each setting on every node and leaves every node as it was; a typo is warned about",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    assert.equal(
      Object.values(beforeRun).filter((v) => v === "55555").length,
      2,
      "both nodes start with the hand-set value",
    );
    const out = await mkdtemp(join(tmpdir(), "couchbench-config-"));
    const result = runCli(
      runArgs(out, "full", [
        ...["--sizes", "200", "--repeat", "2"],
        ...["--config", "view_updater/queue_memory_cap=100000,10485760", "--config", "view_updater/queue_memroy_cap=1"],
      ]),
      { timeoutMs: 240_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /set view_updater\/queue_memory_cap=100000, view_updater\/queue_memroy_cap=1 on 2 node\(s\)/,
    );
    assert.match(result.stderr, /warning: --config view_updater\/queue_memroy_cap: not set on the server/);
    assert.deepEqual(await watchedConfig(), beforeRun);
    const results = await readValidResults(join(out, "full", "results.json"));
    const restore = results.targets[0]!.configRestore!;
    assert.equal(restore.status, "restored");
    assert.equal(restore.previous.length, 4, "two keys on two nodes");
    assert.ok(restore.previous.some((p) => p.key === "queue_memory_cap" && p.value === "55555"));
    assert.ok(results.notes.some((n) => n.level === "warning" && n.message.includes("queue_memroy_cap")));
    // Every build of every setting was checked against one reference.
    assert.equal(results.measurements.length, 4);
    assert.deepEqual(results.measurements.map((m) => m.correctness.status).sort(), [
      "match",
      "match",
      "match",
      "reference",
    ]);
    assert.deepEqual([...new Set(results.measurements.map((m) => m.config?.[0]?.value))].sort(), [
      "100000",
      "10485760",
    ]);
  },
);

test(
  "Ctrl-C in the middle of a run leaves every node's configuration as it was before the run",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    const out = await mkdtemp(join(tmpdir(), "couchbench-config-"));
    const run = startCli(
      runArgs(out, "interrupted", [
        ...["--sizes", "2000", "--repeat", "5"],
        ...[
          "--config",
          "view_updater/queue_memory_cap=100000,10485760",
          "--config",
          "view_updater/min_writer_items=100,500",
        ],
      ]),
    );
    // Mid-run: after the settings changed at least once more than the first time.
    await run.waitFor(/set view_updater\/queue_memory_cap=100000, view_updater\/min_writer_items=100 on 2 node/);
    await run.waitFor(/set view_updater\/min_writer_items=500 on 2 node/);
    assert.notDeepEqual(await watchedConfig(), beforeRun, "the run did change the settings");
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    assert.match(run.stderr(), /restored the previous settings on 2 node\(s\)/);
    assert.deepEqual(await watchedConfig(), beforeRun);
    const results = await readValidResults(join(out, "interrupted", "results.json"));
    assert.equal(results.status, "interrupted");
    assert.equal(results.targets[0]!.configRestore?.status, "restored");
  },
);

test(
  "a value CouchDB refuses is a one-line error naming the key, and nothing stays changed",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    const out = await mkdtemp(join(tmpdir(), "couchbench-config-"));
    // CouchDB refuses a key with brackets (config:validate_config_update), after the first setting was set.
    const result = runCli(
      runArgs(out, "refused", [
        ...["--sizes", "10", "--repeat", "1"],
        ...["--config", "view_updater/queue_memory_cap=100000", "--config", "view_updater/bad[key]=1"],
      ]),
      { timeoutMs: 120_000 },
    );
    assert.equal(result.status, 2, result.stderr);
    const error = result.stderr.trim().split("\n").at(-1)!;
    assert.match(error, /--config view_updater\/bad\[key\]=1: CouchDB refused it on \S+ \(400 bad_request/);
    assert.deepEqual(await watchedConfig(), beforeRun);
  },
);

test(
  "advise --config: the setting is a variant checked against the original, and every node is left as it was",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    const out = await mkdtemp(join(tmpdir(), "couchbench-config-"));
    const result = runCli(
      [
        ...["advise", "--url", cluster!.url, "--ddoc", "classic", "--docs", "100", "--repeat", "1", "--out", out],
        ...["--config", "view_updater/queue_memory_cap=10485760"],
      ],
      { timeoutMs: 240_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(await watchedConfig(), beforeRun);
    const advice = JSON.parse(await readFile(join(out, "advise.json"), "utf8")) as AdviseResults;
    const variant = advice.variants.find((v) => v.kind === "config")!;
    assert.equal(variant.title, "CouchDB setting queue_memory_cap=10485760");
    assert.equal(variant.output.status, "match");
    assert.equal(advice.target.configRestore?.status, "restored");
  },
);

test(
  "js_engine=spidermonkey,quickjs with the javascript and quickjs servers: one index, and the engine back as it was",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const client = new CouchClient(cluster!.url);
    const engineBefore = (await client.nodeVersions()) as { javascript_engine?: { name?: string } };
    const out = await mkdtemp(join(tmpdir(), "couchbench-config-"));
    const result = runCli(
      [
        ...["run", "--url", cluster!.url, "--servers", "javascript,quickjs", "--dataset", "medium", "--sizes", "200"],
        ...["--q", "1", "--repeat", "1", "--update", "0", "--out", out, "--run-id", "engines"],
        ...["--config", "couchdb/js_engine=spidermonkey,quickjs"],
      ],
      { timeoutMs: 240_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const results = await readValidResults(join(out, "engines", "results.json"));
    assert.equal(results.measurements.length, 4);
    assert.deepEqual(results.measurements.map((m) => m.correctness.status).sort(), [
      "match",
      "match",
      "match",
      "reference",
    ]);
    assert.equal(new Set(results.measurements.map((m) => m.correctness.digest)).size, 1);
    const engineAfter = (await client.nodeVersions()) as { javascript_engine?: { name?: string } };
    assert.deepEqual(engineAfter.javascript_engine, engineBefore.javascript_engine);
    assert.equal(await client.nodeConfig("_local", "couchdb", "js_engine").catch(() => null), null);
  },
);
