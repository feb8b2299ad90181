import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ResultsFile } from "../results/results-format.js";
import { dockerSkipReason } from "../test-support/live-docker.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { PROBE_IMAGE_COMMAND, PROBE_SERVER, writeProbeDockerContext } from "../test-support/probe-docker-context.js";
import { runCli, writeInputs } from "../test-support/run-cli.js";

const SERVERS = ["javascript", "typescript", "probe", "erlang"];

/** `run` with a third-party server and erlang beside couchjs and ours; every build must match couchjs's output. */
async function runWithProbe(
  targetArgs: string[],
  probeCommand: string,
): Promise<{ results: ResultsFile; stdout: string; report: string }> {
  const out = await mkdtemp(join(tmpdir(), "couchbench-any-server-"));
  const args = [
    "run",
    ...targetArgs,
    "--query-server",
    `probe=${probeCommand}`,
    "--servers",
    SERVERS.join(","),
    "--dataset",
    "medium,small",
    "--sizes",
    "40",
    "--repeat",
    "2",
    "--out",
    out,
    "--run-id",
    "any",
  ];
  const result = runCli(args, { timeoutMs: 600_000 });
  assert.equal(result.status, 0, result.stderr);
  const results = JSON.parse(await readFile(join(out, "any", "results.json"), "utf8")) as ResultsFile;
  return { results, stdout: result.stdout, report: await readFile(join(out, "any", "report.html"), "utf8") };
}

function assertIdenticalOutput(results: ResultsFile): void {
  assert.equal(results.status, "completed");
  assert.deepEqual(
    results.plan.queryServers?.map((server) => server.name),
    ["probe"],
  );
  assert.deepEqual(results.targets[0]!.availableServers, SERVERS);
  for (const dataset of ["medium", "small"]) {
    const builds = results.measurements.filter((m) => m.dataset === dataset);
    assert.equal(builds.length, SERVERS.length * 2);
    for (const m of builds) {
      assert.equal(m.status, "completed", `${m.key}: ${m.error}`);
      assert.ok(
        ["reference", "match"].includes(m.correctness.status),
        `${m.key}: ${m.correctness.status} ${m.correctness.detail ?? ""}`,
      );
      assert.deepEqual(m.build?.rowsByView, { byType: 40, count: 40 });
    }
    assert.deepEqual(
      new Set(builds.map((m) => m.language)),
      new Set(SERVERS),
      "each server built its own design doc language",
    );
    assert.equal(
      new Set(builds.map((m) => m.correctness.digest)).size,
      1,
      `${dataset}: all four servers produced the same view output`,
    );
  }
}

function assertFloorShown(stdout: string, report: string): void {
  assert.match(stdout, /\| vs couchjs \| × erlang \| Check/);
  assert.match(stdout, /\| small +\| +40 \| erlang .*\| +1\.00× \| ✓/);
  assert.match(report, /Build time as a multiple of Erlang native views/);
}

test(
  "run --target local: a --query-server of your own and erlang build the same views as couchjs and typescript",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    // A relative command, as typed in the directory couchbench runs in.
    const { results, stdout, report } = await runWithProbe(
      ["--target", "local", "--couchdb-bin", liveCouchBin],
      `node ${PROBE_SERVER.replace(`${process.cwd()}/`, "")}`,
    );
    assertIdenticalOutput(results);
    assertFloorShown(stdout, report);
  },
);

test(
  "run --target docker --docker-file: the probe added to the image and erlang build the same views",
  { timeout: 900_000 },
  async (t) => {
    const skip = dockerSkipReason("couchdb:3.4.3");
    if (skip) return t.skip(skip);
    const dockerFile = await writeProbeDockerContext();
    const { results, stdout, report } = await runWithProbe(
      ["--couchdb", "3.4.3", "--docker-file", dockerFile],
      PROBE_IMAGE_COMMAND,
    );
    assertIdenticalOutput(results);
    assertFloorShown(stdout, report);
    assert.equal(results.targets[0]!.image, "couchbench-couchdb:3.4.3-custom");
    const containers = execFileSync(
      "docker",
      ["ps", "-a", "--filter", "ancestor=couchbench-couchdb:3.4.3-custom", "--format", "{{.ID}}"],
      { encoding: "utf8" },
    ).trim();
    assert.equal(containers, "", "the container was removed");
  },
);

test(
  "erlang is skipped, with the file to add, for a design doc without Erlang sources",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { "mine.json": ddoc } = writeInputs({
      "mine.json": { views: { v: { map: "function (doc) { emit(doc._id, 1); }" } } },
    });
    const out = await mkdtemp(join(tmpdir(), "couchbench-any-server-"));
    const result = runCli(
      [
        "run",
        "--url",
        liveCouchUrl,
        "--ddoc",
        ddoc!,
        "--servers",
        "javascript,erlang",
        "--dataset",
        "small",
        "--sizes",
        "10",
        "--repeat",
        "1",
        "--update",
        "0",
        "--out",
        out,
        "--run-id",
        "no-erlang",
      ],
      { timeoutMs: 300_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const results = JSON.parse(await readFile(join(out, "no-erlang", "results.json"), "utf8")) as ResultsFile;
    const erlang = results.measurements.find((m) => m.server === "erlang")!;
    assert.equal(erlang.status, "skipped");
    assert.equal(results.measurements.find((m) => m.server === "javascript")!.status, "completed");
    assert.match(erlang.error!, /mine\.json has no erlang sources — add .*mine\.erlang\.json beside it/);
    assert.ok(results.notes.some((note) => /^erlang is skipped: .*mine\.erlang\.json/.test(note.message)));
  },
);
