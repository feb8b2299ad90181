/**
 * `couchbench ingest --config` against a CouchDB node the test starts (the shared server's
 * settings are never touched), given by `--url` so its settings must be put back: each
 * combination a series, the settings in force recorded per combination, and every value as it
 * was before the run — after a complete run and after Ctrl-C mid-step.
 */
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import { LocalTarget } from "../couch/targets/local-target.js";
import type { StartedCouch } from "../couch/targets/target.js";
import { readValidIngest } from "../test-support/ingest-schema.js";
import { liveCouchBin, SKIP_NO_BIN } from "../test-support/live-couch.js";
import { nodeSettings } from "../test-support/node-settings.js";
import { runCli, startCli } from "../test-support/run-cli.js";

/** The settings the runs change: one set by hand before them, one (a typo) not set at all. */
const WATCHED = [
  ["ken", "batch_channels"],
  ["ken", "batch_chanels"],
] as const;

let node: StartedCouch | undefined;

before(async () => {
  if (!liveCouchBin) return;
  node = await new LocalTarget("ingest-config-test", liveCouchBin).start(() => {});
  await new CouchClient(node.url).setNodeConfig("_local", "ken", "batch_channels", "33");
});

after(async () => {
  await node?.stop();
});

/** The watched values of the one node, by `<section>/<key>` (`null`: not set). */
async function watchedConfig(): Promise<Record<string, string | null>> {
  const values = Object.entries(await nodeSettings(node!.url, WATCHED));
  return Object.fromEntries(values.map(([name, value]) => [name.slice(name.indexOf(" ") + 1), value]));
}

/** `run`: `--run-id <id>`, or `--resume <id>`. */
function ingestArgs(out: string, run: [string, string], extra: string[]): string[] {
  return [
    ...["ingest", "--url", node!.url, "--servers", "javascript", "--write", "bulk:10", "--warmup", "0"],
    ...["--sentinel-interval", "200", "--config", "ken/batch_channels=20,80", "--out", out, ...run],
    ...extra,
  ];
}

test(
  "each combination is a series with the settings in force recorded; the node is left as it was; a typo is warned about",
  { timeout: 240_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    assert.equal(beforeRun["ken/batch_channels"], "33");
    const out = await mkdtemp(join(tmpdir(), "couchbench-ingest-config-"));
    const result = runCli(
      ingestArgs(out, ["--run-id", "full"], ["--rates", "100", "--duration", "3", "--config", "ken/batch_chanels=1"]),
      { timeoutMs: 200_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: --config ken\/batch_chanels: not set on the server/);
    assert.match(result.stderr, /javascript · batch_channels=20 · batch_chanels=1 @ 100 docs\/s/);
    assert.deepEqual(await watchedConfig(), beforeRun);
    const results = await readValidIngest(join(out, "full", "ingest.json"));
    assert.equal(results.formatVersion, 2);
    assert.equal(results.plan.config?.combinations.length, 2);
    assert.deepEqual(
      results.steps.map((step) => [step.key, step.order, step.outcome === "errored" ? step.error : "measured"]),
      [
        ["url/javascript/ken/batch_channels=20;ken/batch_chanels=1/100", 1, "measured"],
        ["url/javascript/ken/batch_channels=80;ken/batch_chanels=1/100", 2, "measured"],
      ],
    );
    assert.deepEqual(
      results.knees.map((knee) => knee.config?.[0]?.value),
      ["20", "80"],
    );
    const target = results.targets[0]!;
    assert.equal(target.freshnessConfig.ken!.batch_channels, "33", "before --config: the hand-set value");
    assert.deepEqual(
      target.configured?.map((entry) => [entry.config[0]!.value, entry.freshnessConfig.ken!.batch_channels]),
      [
        ["20", "20"],
        ["80", "80"],
      ],
    );
    assert.equal(target.configRestore?.status, "restored");
    assert.deepEqual(target.configRestore.previous.map((p) => `${p.key}=${p.value}`).sort(), [
      "batch_chanels=null",
      "batch_channels=33",
    ]);
    assert.ok(results.notes.some((note) => note.level === "warning" && note.message.includes("batch_chanels")));
    assert.match(result.stdout, /sustainable: javascript · batch_channels=20 · batch_chanels=1 /);
  },
);

test(
  "Ctrl-C mid-step under the second setting: exit 130, every value back as before, the restore recorded",
  { timeout: 240_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const beforeRun = await watchedConfig();
    const out = await mkdtemp(join(tmpdir(), "couchbench-ingest-config-"));
    const run = startCli(ingestArgs(out, ["--run-id", "interrupted"], ["--rates", "100", "--duration", "20"]));
    await run.waitFor(/set ken\/batch_channels=80 on 1 node\(s\)[\s\S]*writing \d/);
    assert.equal((await watchedConfig())["ken/batch_channels"], "80", "the run did change the setting");
    run.child.kill("SIGINT");
    assert.equal((await run.exited).status, 130, run.stderr());
    assert.match(run.stderr(), /restored the previous settings on 1 node\(s\)/);
    assert.deepEqual(await watchedConfig(), beforeRun);
    const results = await readValidIngest(join(out, "interrupted", "ingest.json"));
    assert.equal(results.status, "interrupted");
    assert.deepEqual(
      results.steps.map((step) => step.config?.[0]?.value),
      ["20"],
      "the step under 80 was in flight",
    );
    assert.equal(results.targets[0]!.configRestore?.status, "restored");
    const leftovers = (await new CouchClient(node!.url).allDatabases()).filter((db) => db.startsWith("couchbench-"));
    assert.deepEqual(leftovers, []);

    // --resume sets the second setting again for the step left, keeps the first one's record, and restores again.
    const resumed = runCli(ingestArgs(out, ["--resume", "interrupted"], ["--rates", "100", "--duration", "20"]), {
      timeoutMs: 200_000,
    });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /set ken\/batch_channels=20/, "the finished step is not measured again");
    assert.deepEqual(await watchedConfig(), beforeRun);
    const finished = await readValidIngest(join(out, "interrupted", "ingest.json"));
    assert.equal(finished.status, "completed");
    assert.deepEqual(
      finished.steps.map((step) => step.config?.[0]?.value),
      ["20", "80"],
    );
    assert.deepEqual(
      finished.targets[0]!.configured?.map((entry) => entry.config[0]!.value),
      ["20", "80"],
    );
    assert.equal(finished.targets[0]!.configRestore?.status, "restored");
  },
);
