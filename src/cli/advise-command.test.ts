import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, writeInputs } from "../test-support/run-cli.js";

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
