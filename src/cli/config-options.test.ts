import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../test-support/run-cli.js";
import { createTargets } from "./run-command.js";
import { resolveRunConfig } from "./run-options.js";

const LOCAL = { couchdbBin: ["/opt/couchdb/bin/couchdb"] };

test("--config options become the run's combinations; without them a run has none", () => {
  const config = resolveRunConfig({
    ...LOCAL,
    config: ["view_updater/queue_memory_cap=100000,10485760", "view_updater/min_writer_items=default,500"],
  });
  assert.equal(config.configCombinations?.length, 4);
  assert.equal(resolveRunConfig(LOCAL).configCombinations, undefined);
  const combos = resolveRunConfig({
    ...LOCAL,
    config: ["couchdb/js_engine=spidermonkey,quickjs", "view_updater/queue_memory_cap=1,2"],
    configCombos: "js_engine=spidermonkey;queue_memory_cap=1|js_engine=quickjs;queue_memory_cap=2",
  });
  assert.equal(combos.configCombinations?.length, 2);
});

test("a start-up setting starts the target once per value; a --url server refuses it", () => {
  const config = resolveRunConfig({
    ...LOCAL,
    config: ["quickjs/memory_limit_bytes=default,67108864", "view_updater/queue_memory_cap=1,2"],
  });
  const targets = createTargets(config);
  assert.deepEqual(
    targets.map((t) => t.id),
    ["local+memory_limit_bytes=default", "local+memory_limit_bytes=67108864"],
  );
  assert.deepEqual(targets[1]!.startConfig, [{ section: "quickjs", key: "memory_limit_bytes", value: "67108864" }]);
  assert.deepEqual(
    createTargets(resolveRunConfig({ ...LOCAL, config: ["view_updater/queue_memory_cap=1,2"] })).map((t) => t.id),
    ["local"],
  );
  assert.throws(
    () => resolveRunConfig({ url: "http://a:b@127.0.0.1:5984", config: ["couchdb/os_process_timeout=10000"] }),
    /os_process_timeout: CouchDB reads it only at start-up.*use --target local or docker/,
  );
});

test("couchbench run --config with a bad value: exit 2 and one line naming the key", () => {
  const result = runCli(["run", "--dry-run", "--config", "view_updater/queue_memory_cap=lots"]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--config view_updater\/queue_memory_cap=lots: CouchDB reads a whole number here/);
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
});

test("the dry run lists the combinations and counts their builds", () => {
  const result = runCli([
    "run",
    "--dry-run",
    ...["--target", "local", "--couchdb-bin", "/opt/couchdb/bin/couchdb", "--servers", "javascript"],
    ...["--sizes", "10", "--repeat", "2", "--dataset", "small", "--q", "1"],
    ...["--config", "couchdb/js_engine=spidermonkey,quickjs"],
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /settings: +couchdb\/js_engine=spidermonkey \| couchdb\/js_engine=quickjs \(order rotated\)/,
  );
  assert.match(result.stderr, /builds: +4 /);
});

test("ingest --config: the dry run lists the combinations and counts a series per server and combination", () => {
  const result = runCli([
    "ingest",
    "--dry-run",
    ...["--target", "local", "--couchdb-bin", "/opt/couchdb/bin/couchdb", "--servers", "javascript,typescript"],
    ...["--rates", "100,200,400", "--duration", "10", "--warmup", "0"],
    ...["--config", "ken/batch_channels=20,80", "--config", "quickjs/memory_limit_bytes=default,67108864"],
    ...[
      "--config-combos",
      "batch_channels=20;memory_limit_bytes=default|batch_channels=80;memory_limit_bytes=67108864",
    ],
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /settings: +ken\/batch_channels=20;quickjs\/memory_limit_bytes=default \| ken\/batch_channels=80;quickjs\/memory_limit_bytes=67108864/,
  );
  // One CouchDB started twice (a start-up setting), 2 combinations × 2 servers × 3 rates.
  assert.match(
    result.stderr,
    /started with \[quickjs\] memory_limit_bytes=default; .*started with \[quickjs\] memory_limit_bytes=67108864/,
  );
  assert.match(result.stderr, /steps: +12,/);
});

test("ingest --config: a start-up setting on a --url server, and a bad value, are one line each", () => {
  const url = ["ingest", "--dry-run", "--url", "http://admin:pw@127.0.0.1:5984"];
  const restart = runCli([...url, "--config", "quickjs/memory_limit_bytes=67108864"]);
  assert.equal(restart.status, 2);
  assert.match(restart.stderr, /^couchbench: --config quickjs\/memory_limit_bytes: CouchDB reads it only at start-up/);
  const bad = runCli([...url, "--config", "ken/batch_channels=many"]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /--config ken\/batch_channels=many: CouchDB reads a whole number here/);
});
