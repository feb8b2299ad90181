import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, writeInputs } from "../test-support/run-cli.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("advise --dry-run: the variants of the design doc, the plan and an estimate, without reaching CouchDB", () => {
  const result = runCli(["advise", "--ddoc", "classic", "--url", "http://admin:pw@127.0.0.1:1", "--dry-run"]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /reduce-count +count: JavaScript reduce → _sum/);
  assert.match(result.stderr, /emit-null .*\[readers: query byType with include_docs=true/);
  assert.match(result.stderr, /estimated: +\d/);
  assert.doesNotMatch(result.stderr, /admin:pw/);
});

test("advise --ddoc: a missing file or a bad design doc is one line with the fix, exit 2", () => {
  const missing = runCli(["advise", "--ddoc", "no-such-views", "--dry-run"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^couchbench: --ddoc no-such-views: no such file or short name — give/);
  const { "bad.json": bad } = writeInputs({ "bad.json": { views: { a: { reduce: "_sum" } } } });
  const noMap = runCli(["advise", "--ddoc", bad!, "--dry-run"]);
  assert.equal(noMap.status, 2);
  assert.match(noMap.stderr, /view "a" needs a "map" string/);
  const url = runCli(["advise", "--ddoc", "couchdb:http://admin:pw@127.0.0.1:5984/nodesign", "--dry-run"]);
  assert.equal(url.status, 2);
  assert.match(url.stderr, /not a design doc URL/);
  assert.doesNotMatch(url.stderr, /admin:pw/);
});

test("advise measures on one CouchDB", () => {
  const result = runCli(["advise", "--couchdb", "3.4.3,3.5.2", "--dry-run"]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /advise measures on one CouchDB/);
});

test("advise --servers: your --query-server is planned as a variant; noop and erlang are refused, saying why", () => {
  const url = ["--url", "http://admin:pw@127.0.0.1:1", "--dry-run"];
  const planned = runCli([
    "advise",
    ...url,
    "--query-server",
    "mine=node my-server.js",
    "--servers",
    "javascript,mine",
  ]);
  assert.equal(planned.status, 0, planned.stderr);
  assert.match(planned.stderr, /server-mine +query server mine/);
  assert.doesNotMatch(planned.stderr, /server-quickjs/);
  const noop = runCli(["advise", ...url, "--servers", "javascript,noop"]);
  assert.equal(noop.status, 2);
  assert.match(noop.stderr, /--servers noop: advise runs your design doc's JavaScript on each server/);
  const unknown = runCli(["advise", ...url, "--servers", "javascript,other"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown query server 'other'/);
});

test("advise --resume: the run id it names, not a contradicting --run-id; nothing to resume is a one-line error", async () => {
  const out = await mkdtemp(join(tmpdir(), "couchbench-advise-resume-"));
  const both = runCli([
    "advise",
    "--resume",
    "a",
    "--run-id",
    "b",
    "--out",
    out,
    "--url",
    "http://admin:pw@127.0.0.1:1",
  ]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--resume a --run-id b: the run to continue is its run id/);
  const none = runCli(["advise", "--resume", "a", "--out", out, "--url", "http://admin:pw@127.0.0.1:1"]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--resume a: no readable .*advise-progress\.json — check --out and the run id/);
  assert.equal(none.stderr.trim().split("\n").at(-1)!.startsWith("couchbench: --resume a"), true);
});
