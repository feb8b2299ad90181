import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DESIGN_DOC_LIBRARY, designDocPath, loadDesignDocTemplate, parseTemplate } from "../bench/design-docs.js";
import { QUERY_SERVERS, queryServer } from "../couch/query-servers.js";
import { UsageError } from "../core/errors.js";
import { runCli } from "../test-support/run-cli.js";
import { assertDesignDocsParse, syntaxProblem } from "./design-doc-syntax.js";

const JS_SERVERS = ["javascript", "quickjs", "typescript"].map((name) => queryServer(name)!);

function check(views: Record<string, unknown>, servers = JS_SERVERS): void {
  assertDesignDocsParse([parseTemplate({ views }, "my.json")], servers);
}

test("a map with a syntax error is a usage error naming the design doc, the view, map, the message and position", () => {
  assert.throws(
    () =>
      check({ ok: { map: "function (doc) { emit(doc._id, 1); }" }, by_id: { map: "function(doc){ emit(doc._id, }" } }),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message ===
        '--ddoc my.json: syntax error in the map of view "by_id" at line 1, column 30: Unexpected token — fix the function; no query server can compile it',
  );
});

test("a reduce with a syntax error is named as the reduce, on its own line and column", () => {
  assert.throws(
    () =>
      check({
        total: {
          map: "function (doc) { emit(doc._id, 1); }",
          reduce: "function (keys, values) {\n  return sum(values;\n}",
        },
      }),
    /--ddoc my\.json: syntax error in the reduce of view "total" at line 2, column 20: Unexpected token/,
  );
});

test("a TypeScript map with a syntax error is reported by the type-stripping step our query server uses", () => {
  assert.throws(
    () =>
      check({ typed: { map: "function (doc: { _id: string }) {\n  emit(doc._id, };\n}" } }, [
        queryServer("typescript")!,
      ]),
    /syntax error in the map of view "typed" at line 2, column 17: Unexpected token — fix the function/,
  );
});

test("TypeScript compiles on typescript only: javascript and quickjs are told to leave", () => {
  const typed = { typed: { map: "function (doc: { _id: string }) { emit(doc._id, null); }" } };
  assert.doesNotThrow(() => check(typed, [queryServer("typescript")!]));
  assert.throws(
    () => check(typed),
    /"typed" at line 1, column 14: Unexpected token \(as javascript, quickjs read it; typescript can compile it\) — fix it, or leave javascript, quickjs out of --servers/,
  );
});

test("what CouchDB's servers accept passes: anonymous functions, a trailing ; or comment, arrows, built-in reduces", () => {
  assert.doesNotThrow(() =>
    check({
      a: { map: "function (doc) { emit(doc._id, 1); };", reduce: "_sum" },
      b: { map: "// indexes ids\nfunction (doc) {\n  emit(doc._id, null);\n} // done", reduce: " _count " },
      c: { map: "(doc) => emit(doc._id, doc.a?.b ?? 0)", reduce: "function (k, v, rereduce) { return sum(v); }" },
    }),
  );
});

test("every design doc of the library parses on every JavaScript server", async () => {
  const templates = await Promise.all(DESIGN_DOC_LIBRARY.map((name) => loadDesignDocTemplate(designDocPath(name))));
  assert.doesNotThrow(() => assertDesignDocsParse(templates, QUERY_SERVERS));
});

test("Erlang sources, --query-server languages and the floor server are not parsed", () => {
  const erlang = parseTemplate({ views: { v: { map: "fun({Doc}) -> Emit(1, null) end." } } }, "erl.json");
  const servers = [queryServer("erlang")!, queryServer("noop")!, queryServer("py", [{ name: "py", command: "x" }])!];
  assert.doesNotThrow(() => assertDesignDocsParse([{ ...erlang, languages: { erlang: erlang.views } }], servers));
  assert.equal(syntaxProblem("fun({Doc}) -> Emit(1, null) end.", "javascript")?.line, 1);
});

test("run stops at a broken design doc before it reaches any CouchDB, with exit 2", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-syntax-"));
  const ddoc = join(dir, "broken.json");
  await writeFile(ddoc, JSON.stringify({ views: { by_id: { map: "function(doc){ emit(doc._id, }" } } }));
  // Nothing listens on port 9: a target that started would fail with a connection error instead.
  const result = runCli(
    [
      "run",
      "--url",
      "http://admin:admin@127.0.0.1:9",
      "--ddoc",
      ddoc,
      "--servers",
      "javascript,typescript",
      "--sizes",
      "10",
    ],
    { cwd: dir },
  );
  assert.equal(result.status, 2, result.stderr);
  assert.equal(
    result.stderr.trim(),
    `couchbench: --ddoc ${ddoc}: syntax error in the map of view "by_id" at line 1, column 30: Unexpected token — fix the function; no query server can compile it`,
  );
  const advise = runCli(["advise", "--url", "http://admin:admin@127.0.0.1:9", "--ddoc", ddoc], { cwd: dir });
  assert.equal(advise.status, 2, advise.stderr);
  assert.match(advise.stderr, /syntax error in the map of view "by_id" at line 1, column 30/);
});
