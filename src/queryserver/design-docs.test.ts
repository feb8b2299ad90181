import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DDOC_KINDS } from "./protocol.js";
import { replyOf, session } from "./test-support/memory-port.js";

const req = { method: "GET", path: ["db", "_design", "app", "_show", "s"], query: {}, headers: {} };

function appSession(ddoc: Record<string, unknown>): ReturnType<typeof session> {
  const s = session();
  assert.deepEqual(replyOf(s.send(["ddoc", "new", "_design/app", { _id: "_design/app", ...ddoc }])), true);
  s.send(["reset", { reduce_limit: true, timeout: 5000 }]);
  return s;
}

describe("ddoc", () => {
  it("every kind of the dispatch table reaches a handler of its own", () => {
    const fun = "function() { log('reached'); return false; }";
    const s = appSession(
      Object.fromEntries(DDOC_KINDS.map((kind) => [kind, kind === "validate_doc_update" ? fun : { f: fun }])),
    );
    for (const kind of DDOC_KINDS) {
      const path = kind === "validate_doc_update" ? [kind] : [kind, "f"];
      const args =
        kind === "filters" || kind === "views"
          ? [[{ _id: "d" }], req]
          : kind === "lists"
            ? [{}, req]
            : [{ _id: "d" }, { ...req, method: "POST" }];
      const { lines } = s.send(["ddoc", "_design/app", path, args], [["list_end"]]);
      assert.ok(lines.includes('["log","reached"]'), `${kind}: ${lines.join(" ")}`);
      assert.doesNotMatch(lines.join(" "), /not a function|unknown_command/, kind);
    }
  });

  it("shows: string, object, this = ddoc, falsy and non-object returns", () => {
    const s = appSession({
      name: "app",
      shows: {
        hello: "function(doc, req) { return 'Hello ' + doc._id + ' from ' + this.name; }",
        obj: "function(doc, req) { return {code: 201, json: {m: req.method}}; }",
        empty: "function() { return null; }",
        num: "function() { return 42; }",
      },
    });
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "hello"], [{ _id: "d1" }, req]])), [
      "resp",
      { body: "Hello d1 from app" },
    ]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "obj"], [null, req]])), [
      "resp",
      { code: 201, json: { m: "GET" } },
    ]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "empty"], [null, req]])), ["resp", {}]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "num"], [null, req]])), [
      "error",
      "render_error",
      "undefined response from show function",
    ]);
  });

  it("shows: provides() negotiation by Accept and ?format=, 406, registerType survives reset", () => {
    const s = appSession({
      shows: {
        nego: "function(doc, req) { registerType('vcard', 'text/vcard'); provides('html', function () { return '<b>h</b>'; }); provides('json', function () { return toJSON({a: 1}); }); }",
        vc: "function(doc, req) { provides('vcard', function () { return 'V'; }); }",
      },
    });
    const call = (name: string, request: object): unknown =>
      replyOf(s.send(["ddoc", "_design/app", ["shows", name], [null, { ...req, path: ["db"], ...request }]]));
    assert.deepEqual(call("nego", { headers: { Accept: "application/json" } }), [
      "resp",
      { body: '{"a":1}', headers: { "Content-Type": "application/json" } },
    ]);
    assert.deepEqual(call("nego", { headers: {} }), [
      "resp",
      { body: "<b>h</b>", headers: { "Content-Type": "text/html; charset=utf-8" } },
    ]);
    assert.deepEqual(call("nego", { query: { format: "json" } }), [
      "resp",
      { body: '{"a":1}', headers: { "Content-Type": "application/json" } },
    ]);
    assert.deepEqual(call("nego", { headers: { Accept: "image/png" } }), [
      "error",
      "not_acceptable",
      "Content-Type image/png not supported, try one of: application/json, text/x-json, text/html; charset=utf-8",
    ]);
    s.send(["reset"]);
    assert.deepEqual(call("vc", { headers: {} }), ["resp", { body: "V", headers: { "Content-Type": "text/vcard" } }]);
  });

  it("shows: thrown {error, reason} passes through, other errors are render_error with a log line", () => {
    const s = appSession({
      shows: {
        gone: "function() { throw {error: 'not_found', reason: 'nope'}; }",
        boom: "function() { throw new Error('x'); }",
      },
    });
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "gone"], [null, req]])), [
      "error",
      "not_found",
      "nope",
    ]);
    const boom = s.send(["ddoc", "_design/app", ["shows", "boom"], [{}, req]]);
    assert.equal(boom.replies.length, 2);
    assert.match((boom.replies[0] as string[])[1], /^function raised error: Error: x \nstacktrace: /);
    assert.equal((boom.replies[1] as string[])[1], "render_error");
  });

  it("lists: start/chunks/end handshake with blocking getRow()", () => {
    const s = appSession({
      lists: {
        l1: "function(head, req) { start({headers: {'Content-Type': 'text/plain'}}); send('h'); var r; while (r = getRow()) send(r.key); return 'tail'; }",
      },
    });
    // The rows CouchDB would send in answer to start/chunks are queued on the port.
    const rows = [
      ["list_row", { id: "a", key: "k1", value: 1 }],
      ["list_row", { id: "b", key: "k2", value: 2 }],
      ["list_end"],
    ];
    const result = s.send(["ddoc", "_design/app", ["lists", "l1"], [{ total_rows: 2, offset: 0 }, req]], rows);
    assert.deepEqual(result.lines, [
      '["start",["h"],{"headers":{"Content-Type":"text/plain"}}]',
      '["chunks",["k1"]]',
      '["chunks",["k2"]]',
      '["end",["tail"]]',
    ]);
  });

  it("lists: early stop answers a list_row with end; a list that never calls getRow consumes one row", () => {
    const s = appSession({
      lists: {
        three:
          "function() { send('bacon'); var n = 0, r; while (r = getRow()) { send(r.key); if (++n === 3) return 'early'; } }",
        lazy: "function() { return 'only'; }",
      },
    });
    const rows = ["a", "b", "c", "d"].map((key) => ["list_row", { key }]);
    assert.deepEqual(s.send(["ddoc", "_design/app", ["lists", "three"], [{}, req]], rows).lines, [
      '["start",["bacon"],{"headers":{}}]',
      '["chunks",["a"]]',
      '["chunks",["b"]]',
      '["end",["c","early"]]',
    ]);
    assert.deepEqual(
      s.send(["ddoc", "_design/app", ["lists", "lazy"], [{}, req]], [["list_row", { key: "x" }]]).lines,
      ['["start",[],{"headers":{}}]', '["end",["only"]]'],
    );
  });

  it("lists: a line other than list_row/list_end is fatal; EOF ends the process quietly", () => {
    const s = appSession({ lists: { l: "function() { while (getRow()) {} }" } });
    const bad = s.send(["ddoc", "_design/app", ["lists", "l"], [{}, req]], [["reset"]]);
    assert.deepEqual(bad.replies.at(-1), ["error", "list_error", "not a row 'reset'"]);
    assert.equal(bad.exit, 255);
    const t = appSession({ lists: { l: "function() { try { while (getRow()) {} } catch (e) {} return 'x'; }" } });
    const eof = t.send(["ddoc", "_design/app", ["lists", "l"], [{}, req]], [["list_row", { key: 1 }]]);
    assert.deepEqual(eof.lines, ['["start",[],{"headers":{}}]', '["chunks",[]]']);
    assert.equal(eof.exit, 0);
  });

  it("updates: [doc, response], GET refused", () => {
    const s = appSession({
      updates: {
        bump: "function(doc, req) { doc.n = (doc.n || 0) + 1; return [doc, {json: {ok: true}}]; }",
        none: "function() { return [null, 'nothing']; }",
      },
    });
    const post = { ...req, method: "POST" };
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["updates", "bump"], [{ _id: "d1" }, post]])), [
      "up",
      { _id: "d1", n: 1 },
      { json: { ok: true } },
    ]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["updates", "none"], [null, post]])), [
      "up",
      null,
      { body: "nothing" },
    ]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["updates", "bump"], [null, req]])), [
      "error",
      "method_not_allowed",
      "Update functions do not allow GET",
    ]);
  });

  it("filters and views filters", () => {
    const s = appSession({
      filters: { important: "function(doc, req) { return doc.t === req.query.t; }" },
      views: { byType: { map: "function(doc) { if (doc.t) emit(doc.t, null); }" } },
    });
    const docs = [{ _id: "a", t: "1" }, { _id: "b", t: "2" }, { _id: "c" }];
    assert.deepEqual(
      replyOf(s.send(["ddoc", "_design/app", ["filters", "important"], [docs, { query: { t: "1" } }]])),
      [true, [true, false, false]],
    );
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["views", "byType", "map"], [docs]])), [
      true,
      [true, true, false],
    ]);
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["filters", "important"], [[null], {}]])), [
      "error",
      "TypeError",
      {},
    ]);
  });

  it("validate_doc_update: 1, thrown plain values as the answer, Errors as top-level errors", () => {
    const s = appSession({
      validate_doc_update:
        "function(newDoc, oldDoc, userCtx) { if (newDoc.bad) throw {forbidden: 'bad doc'}; if (newDoc.who) throw {unauthorized: 'login'}; if (newDoc.bug) null.x; }",
    });
    const call = (doc: object): unknown =>
      replyOf(s.send(["ddoc", "_design/app", ["validate_doc_update"], [doc, null, { name: null, roles: [] }, {}]]));
    assert.deepEqual(call({}), 1);
    assert.deepEqual(call({ bad: 1 }), { forbidden: "bad doc" });
    assert.deepEqual(call({ who: 1 }), { unauthorized: "login" });
    assert.deepEqual(call({ bug: 1 }), ["error", "TypeError", {}]);
  });

  it("rewrites: object, string, falsy, errors as rewrite_error", () => {
    const s = appSession({
      rewrites:
        "function(req) { if (req.path[4] === 's') return 'p/' + req.method; if (req.path[4] === 'o') return {path: 'x', code: 302}; if (req.path[4] === 'e') throw new Error('r'); return null; }",
    });
    const call = (last: string): unknown[] =>
      s.send([
        "ddoc",
        "_design/app",
        ["rewrites"],
        [{ method: "GET", path: ["db", "_design", "app", "_rewrite", last] }],
      ]).replies;
    assert.deepEqual(call("s"), [["ok", { path: "p/GET", method: "GET" }]]);
    assert.deepEqual(call("o"), [["ok", { path: "x", code: 302 }]]);
    assert.deepEqual(call("n"), [["no_dispatch_rule"]]);
    assert.equal((call("e")[1] as string[])[1], "rewrite_error");
  });

  it("require() from design-doc functions: ddoc root, module.exports, cycles, errors", () => {
    const s = appSession({
      lib: {
        a: "exports.b = require('./b'); exports.name = 'a';",
        b: "exports.a = require('./a');",
        m: "module.exports = module.id;",
        bad: "exports.x = ;",
      },
      shows: {
        ok: "function() { var a = require('lib/a'); return toJSON([a.name, a.b.a, require('lib/m')]); }",
        bad: "function() { return require('lib/bad'); }",
        missing: "function() { return require('lib/nothing'); }",
      },
    });
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "ok"], [null, req]])), [
      "resp",
      { body: '["a",{},"lib/m"]' },
    ]);
    const bad = replyOf(s.send(["ddoc", "_design/app", ["shows", "bad"], [null, req]])) as string[];
    assert.equal(bad[1], "compilation_error");
    assert.match(bad[2], /^Module require\('lib\/bad'\) raised error SyntaxError/);
    assert.match(
      (replyOf(s.send(["ddoc", "_design/app", ["shows", "missing"], [null, req]])) as string[])[2],
      /^Object has no property "nothing"\. /,
    );
  });

  it("protocol errors: missing function, uncached ddoc and unknown kind are fatal", () => {
    const s = appSession({ shows: {} });
    assert.deepEqual(s.send(["ddoc", "_design/app", ["shows", "nope"], [null, req]]).replies, [
      ["error", "not_found", "missing shows function nope on design doc _design/app"],
    ]);
    const uncached = s.send(["ddoc", "_design/other", ["shows", "x"], [null, req]]);
    assert.deepEqual(uncached.replies, [["error", "query_protocol_error", "uncached design doc: _design/other"]]);
    assert.equal(uncached.exit, 255);
    const unknown = s.send(["ddoc", "_design/app", ["bogus", "x"], []]);
    assert.deepEqual(unknown.replies, [["error", "unknown_command", "unknown ddoc command 'bogus'"]]);
    assert.equal(unknown.exit, 255);
  });

  it("TypeScript in design-doc functions", () => {
    const s = appSession({
      language: "typescript",
      shows: {
        ts: "function (doc: {_id: string} | null, req: unknown): string { return (doc as {_id: string})._id; }",
      },
    });
    assert.deepEqual(replyOf(s.send(["ddoc", "_design/app", ["shows", "ts"], [{ _id: "x" }, req]])), [
      "resp",
      { body: "x" },
    ]);
  });
});

describe("top level", () => {
  it("unknown commands and list_row outside a list are fatal", () => {
    for (const name of ["bogus", "list_row", "list_end"]) {
      const result = session().send([name, "x"]);
      assert.deepEqual(result.replies, [["error", "unknown_command", `unknown command '${name}'`]]);
      assert.equal(result.exit, 255);
    }
  });

  it("a malformed line is answered with an error and ends the process; a non-array does not", () => {
    const malformed = session().send('["reset", {');
    assert.equal((malformed.replies[0] as string[])[1], "query_protocol_error");
    assert.equal(malformed.exit, 255);
    const scalar = session().send("42");
    assert.equal((scalar.replies[0] as string[])[1], "query_protocol_error");
    assert.equal(scalar.exit, undefined);
  });
});
