import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import type { Measurement, ResultsFile } from "../results/results-format.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { runCli } from "../test-support/run-cli.js";

const SERVERS = ["javascript", "quickjs", "typescript"];

async function runSmall(
  targetArgs: string[],
  servers: string[],
): Promise<{ results: ResultsFile; dir: string; stdout: string; stderr: string }> {
  const out = await mkdtemp(join(tmpdir(), "couchbench-live-"));
  const result = runCli(
    [
      "run",
      ...targetArgs,
      "--servers",
      servers.join(","),
      "--dataset",
      "medium,small",
      "--sizes",
      "40",
      "--repeat",
      "2",
      "--out",
      out,
      "--run-id",
      "live",
    ],
    { timeoutMs: 300_000 },
  );
  assert.equal(result.status, 0, result.stderr);
  const dir = join(out, "live");
  return {
    results: JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as ResultsFile,
    dir,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

function assertCompleteAndIdentical(results: ResultsFile, servers: string[]): void {
  assert.equal(results.status, "completed");
  assert.equal(results.measurements.length, 2 * servers.length * 2);
  for (const dataset of ["medium", "small"]) {
    const point = results.measurements.filter((m: Measurement) => m.dataset === dataset);
    assert.deepEqual([...new Set(point.map((m) => m.server))].sort(), [...servers].sort());
    for (const m of point) {
      assert.equal(m.status, "completed", `${m.key}: ${m.error}`);
      assert.ok(m.build && m.build.ms > 0 && m.build.docsPerSec > 0);
      assert.deepEqual(m.build.rowsByView, { byType: 40, count: 40 }, "every generated document has a type");
      assert.ok(m.reduce && m.reduce.ms > 0, "reduce timed");
      assert.equal(m.update?.docCount, 4, "incremental update of 10% timed");
      assert.ok(
        ["reference", "match"].includes(m.correctness.status),
        `${m.key}: ${m.correctness.status} ${m.correctness.detail ?? ""}`,
      );
    }
    assert.equal(new Set(point.map((m) => m.correctness.digest)).size, 1, "every server produced the same view output");
  }
}

test(
  "run --target url: all three query servers build identical views; results and report are written",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { results, dir, stdout } = await runSmall(["--url", liveCouchUrl], SERVERS);
    assertCompleteAndIdentical(results, SERVERS);
    const target = results.targets[0]!;
    assert.match(target.couchdbVersion, /^3\.\d+\.\d+/);
    // The commit as CouchDB reports it (a build from a source archive reports none).
    const info = await new CouchClient(liveCouchUrl).serverInfo();
    assert.equal(target.gitSha, info.git_sha || undefined, "git sha recorded as CouchDB reports it");
    assert.ok(target.jsEngine, "JS engine recorded");
    assert.doesNotMatch(JSON.stringify(results), /:[^/@:]+@/, "no credentials in the results file");
    assert.ok(existsSync(join(dir, "report.html")));
    assert.match(stdout, /\| medium +\| +40 \| typescript/);
  },
);

test("run against a CouchDB with wrong credentials fails in one line without locking the account", (t) => {
  if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
  const url = new URL(liveCouchUrl);
  url.username = "couchbench-nobody";
  url.password = "wrong";
  const result = runCli([
    "run",
    "--url",
    url.toString(),
    "--sizes",
    "10",
    "--out",
    join(tmpdir(), "couchbench-live-bad"),
  ]);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /couchbench: CouchDB at http:\/\/[^@]+ rejected the credentials .* — give an admin's user:password in the URL\n$/,
  );
});

test(
  "run --target local starts its own CouchDB beside any other, measures, and leaves no process behind",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const { results, stderr } = await runSmall(
      ["--target", "local", "--couchdb-bin", liveCouchBin],
      ["javascript", "typescript"],
    );
    assertCompleteAndIdentical(results, ["javascript", "typescript"]);
    assert.equal(results.targets[0]!.couchdbBin, liveCouchBin);
    // Only this run's node: other runs on the machine may have theirs.
    const port = stderr.match(/starting \S+ on 127\.0\.0\.1:(\d+)/)?.[1];
    assert.ok(port, stderr);
    const leftovers = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes(`-name couchbench-${port}@`));
    assert.deepEqual(leftovers, []);
  },
);

test("an unreachable CouchDB is a one-line error naming what was waited for", { timeout: 60_000 }, async () => {
  const port = await closedPort();
  const result = runCli([
    "run",
    "--url",
    `http://admin:pw@127.0.0.1:${port}`,
    "--sizes",
    "10",
    "--start-timeout",
    "0.5",
    "--out",
    join(tmpdir(), "couchbench-unreachable"),
  ]);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /couchbench: CouchDB at http:\/\/127\.0\.0\.1:\d+ did not answer GET \/_up with status ok within 0\.5 s \(last: .*ECONNREFUSED/,
  );
  assert.doesNotMatch(result.stderr, /pw@/);
});

/** A loopback port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test(
  "a later target that fails does not hide the earlier ones: summary and report for what finished, then the one-line error",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    // A release that passes the up-front check (bin/couchdb beside etc/vm.args) but dies on start.
    const broken = await mkdtemp(join(tmpdir(), "couchbench-broken-release-"));
    await mkdir(join(broken, "bin"));
    await mkdir(join(broken, "etc"));
    await writeFile(join(broken, "etc", "vm.args"), "-name couchdb@127.0.0.1\n");
    await writeFile(join(broken, "bin", "couchdb"), "#!/bin/sh\necho 'this release is broken' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const out = await mkdtemp(join(tmpdir(), "couchbench-later-failure-"));
    const result = runCli(
      [
        "run",
        "--target",
        "local",
        "--couchdb-bin",
        liveCouchBin,
        "--couchdb-bin",
        join(broken, "bin", "couchdb"),
        "--servers",
        "javascript",
        "--sizes",
        "20",
        "--repeat",
        "1",
        "--out",
        out,
        "--run-id",
        "later",
      ],
      { timeoutMs: 240_000 },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /\| medium +\| +20 \| javascript/, "the summary of the first target is printed");
    assert.ok(existsSync(join(out, "later", "report.html")), "the report of the first target is written");
    assert.match(
      result.stderr,
      /\nreport: +\S+report\.html\n(?:(?!couchbench:).*\n)*couchbench: CouchDB at \S+ exited during start-up \(exit code 1\)/,
      "the error comes last, after the report",
    );
    const results = JSON.parse(await readFile(join(out, "later", "results.json"), "utf8")) as ResultsFile;
    assert.equal(results.status, "failed");
    assert.ok(results.measurements.some((m) => m.targetId === "local-1" && m.status === "completed"));
  },
);
