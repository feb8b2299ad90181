import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { noopQueryServerScript } from "../../core/package-paths.js";
import { nodeCommand } from "./default-servers.js";
import type { QsBenchResult } from "../../results/qs-bench-format.js";

const MAIN = fileURLToPath(new URL("../../cli/main.js", import.meta.url));
const FAKE_SERVER = fileURLToPath(new URL("./test-support/fake-query-server.js", import.meta.url));
const NOOP = `noop=${nodeCommand(noopQueryServerScript)}`;
const EMITTER = `emitter=${nodeCommand(FAKE_SERVER)} --emit-id`;

function couchbench(...args: string[]) {
  const run = spawnSync(process.execPath, [MAIN, "qs-bench", ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("couchbench qs-bench", () => {
  for (const [label, args, message] of [
    ["--docs abc", ["--docs", "abc"], "couchbench: --docs: 'abc' is not a positive whole number — e.g. --docs 5000\n"],
    ["--repeat 0", ["--repeat", "0"], "couchbench: --repeat: '0' is not a positive whole number — e.g. --repeat 3\n"],
    [
      "--server without name=",
      ["--server", "node x.js"],
      '--server node x.js: expected name=command — e.g. --server typescript="node dist/query-server.js"\n',
    ],
    [
      "a server named twice",
      ["--server", NOOP, "--server", NOOP],
      "couchbench: --server noop: given twice — give each server its own name\n",
    ],
    [
      "an unknown --baseline",
      ["--server", NOOP, "--baseline", "fast"],
      "couchbench: --baseline fast: no such server — use one of noop\n",
    ],
  ] as const) {
    it(`exits 2 with one line on ${label}`, () => {
      const run = couchbench(...args);
      assert.equal(run.status, 2);
      assert.ok(run.stderr.endsWith(message), run.stderr);
      assert.equal(run.stderr.split("\n").length, 2, run.stderr);
      assert.equal(run.stdout, "");
    });
  }

  it("writes the JSON result to stdout with --json -, the table to stderr, servers rotating", () => {
    const run = couchbench(
      "--server",
      NOOP,
      "--server",
      EMITTER,
      "--baseline",
      "emitter",
      "--docs",
      "40",
      "--repeat",
      "3",
      "--dataset",
      "small",
      "--json",
      "-",
    );
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as QsBenchResult;
    assert.equal(result.format, "couchbench-qs-bench");
    assert.equal(result.formatVersion, 1);
    assert.deepEqual(result.settings.docs, 40);
    assert.deepEqual(
      result.servers.map((server) => server.name),
      ["noop", "emitter"],
    );
    assert.deepEqual(
      result.servers[0]!.samples.map((sample) => sample.position),
      [0, 1, 0],
    );
    assert.deepEqual(
      result.servers[1]!.samples.map((sample) => sample.position),
      [1, 0, 1],
    );
    assert.equal(result.servers[1]!.summary.relativeMapTime, 1);
    assert.ok(result.servers[1]!.samples.every((sample) => sample.reduceCalls > 0));
    assert.match(run.stderr, /^noop +\d+ /m);
    assert.match(run.stderr, /map time × relative to emitter/);
  });

  it("prints the table on stdout and writes --json <file>", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "qs-bench-")), "result.json");
    const run = couchbench("--server", NOOP, "--docs", "10", "--repeat", "1", "--dataset", "small", "--json", file);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^server +start-up ms +docs\/s/m);
    assert.equal((JSON.parse(await readFile(file, "utf8")) as QsBenchResult).servers[0]!.samples.length, 1);
  });

  it("exits 1 with one line naming a server that crashes", () => {
    const run = couchbench(
      "--server",
      `crashy=${nodeCommand(FAKE_SERVER)} --crash-at-doc 2`,
      "--docs",
      "10",
      "--repeat",
      "1",
      "--dataset",
      "small",
    );
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^couchbench: server "crashy" exited with status 3 while waiting for the answer to map_doc of "[^"]+" \(last stderr line: fake server crashing at [^)]+\)\n$/,
    );
  });
});
