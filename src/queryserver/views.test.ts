import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replyOf, session } from "./test-support/memory-port.js";

describe("reset / add_lib / add_fun / map_doc", () => {
  it("reset answers true with or without config and forgets map functions", () => {
    const s = session();
    assert.deepEqual(replyOf(s.send(["reset"])), true);
    s.send(["add_fun", "function(doc){ emit(doc._id, 1); }"]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[["a", 1]]]);
    assert.deepEqual(replyOf(s.send(["reset", { reduce_limit: true, timeout: 5000 }])), true);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), []);
  });

  it("map_doc answers one list per function, in add order", () => {
    const s = session();
    s.send(["add_fun", "function(doc) { if (doc.score > 50) emit(null, doc.name); }"]);
    s.send(["add_fun", "function(doc) { }"]);
    s.send(["add_fun", "function(doc) { emit('k1', 1); emit('k2', 2); }"]);
    const result = s.send(["map_doc", { _id: "8877", name: "John", score: 60 }]);
    assert.deepEqual(result.lines, ['[[[null,"John"]],[],[["k1",1],["k2",2]]]']);
  });

  it("accepts couchjs source shapes: comments, trailing semicolon and comment, helper statements", () => {
    const s = session();
    const sources = [
      "  function (doc) { emit(1, 1); }  ",
      "// leading comment\nfunction(doc) { emit(1, 1); }",
      "function(doc) { emit(1, 1); };",
      "function(doc) { emit(1, 1); } // trailing comment",
      "function(doc) { emit(1, 1); }; // both",
      "var k = 1; function helper(x) { return x; }\nfunction(doc) { emit(helper(k), 1); }",
      "(function(doc) { emit(1, 1); })",
      "function(doc) { var f = function(x) { return x; }; emit(f(1), 1); }",
    ];
    for (const source of sources) assert.deepEqual(replyOf(s.send(["add_fun", source])), true, source);
    assert.deepEqual(
      replyOf(s.send(["map_doc", { _id: "x" }])),
      sources.map(() => [[1, 1]]),
    );
  });

  it("accepts TypeScript syntax: annotations, interfaces, as, generics", () => {
    const s = session();
    const source = `interface Doc { _id: string; type?: string }
function pick<T>(xs: T[]): T { return xs[0]; }
function (doc: Doc): void { emit(pick<string>([doc._id]), (doc.type as string) ?? null); }`;
    assert.deepEqual(replyOf(s.send(["add_fun", source])), true);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "t", type: "post" }])), [[["t", "post"]]]);
  });

  it("rejects what does not compile or is not a function, like the reference", () => {
    const s = session();
    const bad = s.send(["add_fun", "function (doc) { emit(doc._id, ; }"]);
    assert.equal((replyOf(bad) as unknown[])[1], "compilation_error");
    assert.match((replyOf(bad) as string[])[2], / \(function \(doc\) \{ emit\(doc\._id, ; \}\)$/);
    assert.equal(bad.exit, undefined);
    assert.deepEqual(replyOf(s.send(["add_fun", "1 + 1"])), [
      "error",
      "compilation_error",
      "Expression does not eval to a function. (1 + 1)",
    ]);
    assert.deepEqual(replyOf(s.send(["add_fun", "function named(doc) { emit(doc._id, 1); }"])), [
      "error",
      "compilation_error",
      "Expression does not eval to a function. (function named(doc) { emit(doc._id, 1); })",
    ]);
    assert.deepEqual(replyOf(s.send(["add_fun", ""])), ["error", "not_found", "missing function"]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [], "failed add_funs are not appended");
  });

  it("serialises emits like JSON.stringify, Error values as {error, message}", () => {
    const s = session();
    s.send([
      "add_fun",
      "function(doc){ emit(undefined, [undefined, function(){}, NaN]); emit('e', new TypeError('bad')); emit('d', new Date(0)); }",
    ]);
    assert.deepEqual(s.send(["map_doc", { _id: "a" }]).lines, [
      '[[[null,[null,null,null]],["e",{"error":"TypeError","message":"bad"}],["d","1970-01-01T00:00:00.000Z"]]]',
    ]);
  });

  it("freezes the document: no function sees another's changes", () => {
    const s = session();
    s.send([
      "add_fun",
      "function(doc){ doc.n = 1000; doc.added = 1; delete doc.label; doc.nested.x = 2; emit('sloppy', doc.n); }",
    ]);
    s.send(["add_fun", "function(doc){ 'use strict'; doc.n = 1000; emit('strict', 1); }"]);
    s.send(["add_fun", "function(doc){ emit('seen', [doc.n, doc.added, doc.label, doc.nested.x]); }"]);
    const result = s.send(["map_doc", { _id: "a", n: 1, label: "l", nested: { x: 1 } }]);
    assert.match(result.lines[0], /^\["log","function raised exception TypeError: .* with doc\._id a"\]$/);
    assert.deepEqual(replyOf(result), [[["sloppy", 1]], [], [["seen", [1, null, "l", 1]]]]);
  });

  it("logs and skips ordinary exceptions, partial emits discarded", () => {
    const s = session();
    s.send(["add_fun", "function(doc){ emit(1, 1); throw new Error('boom'); }"]);
    s.send(["add_fun", "function(doc){ throw {error: 'x', reason: 'y'}; }"]);
    s.send(["add_fun", "function(doc){ emit(doc._id, 2); }"]);
    const result = s.send(["map_doc", { _id: "a" }]);
    assert.deepEqual(result.replies, [
      ["log", "function raised exception Error: boom with doc._id a"],
      ["log", "function raised exception [object Object] with doc._id a"],
      [[], [], [["a", 2]]],
    ]);
  });

  it("'fatal_error' aborts the command, ['fatal',..] ends the process, throw null is a TypeError", () => {
    const s = session();
    s.send([
      "add_fun",
      "function(doc){ if (doc.t === 1) throw 'fatal_error'; if (doc.t === 2) throw null; if (doc.t === 3) throw ['fatal', 'k', 'r']; }",
    ]);
    const abort = s.send(["map_doc", { _id: "a", t: 1 }]);
    assert.deepEqual(abort.replies, [["error", "map_runtime_error", "function raised 'fatal_error'"]]);
    assert.equal(abort.exit, undefined);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a", t: 2 }])), ["error", "TypeError", {}]);
    const fatal = s.send(["map_doc", { _id: "a", t: 3 }]);
    assert.deepEqual(fatal.replies, [["error", "k", "r"]]);
    assert.equal(fatal.exit, 255);
  });

  it("unbounded recursion is fatal (InternalError), like SpiderMonkey 102", () => {
    const s = session();
    s.send(["add_fun", "function(doc){ function r(n) { return r(n + 1) + 1; } emit(r(0), 1); }"]);
    const result = s.send(["map_doc", { _id: "a" }]);
    assert.equal((replyOf(result) as unknown[])[1], "InternalError");
    assert.equal(result.exit, 255);
  });

  it("log() and console.log() send log lines before the reply", () => {
    const s = session();
    s.send([
      "add_fun",
      "function(doc){ log('s'); log({a: [1]}); log(undefined); log(new Error('e')); console.log('c', 1); emit(1, 1); }",
    ]);
    assert.deepEqual(s.send(["map_doc", { _id: "a" }]).replies, [
      ["log", "s"],
      ["log", '{"a":[1]}'],
      ["log", "undefined"],
      ["log", '{"error":"Error","message":"e"}'],
      ["log", "c 1"],
      [[[1, 1]]],
    ]);
  });

  it("require() reaches views/lib from add_lib, with relative paths and caching", () => {
    const s = session();
    s.send([
      "add_lib",
      {
        utils: "exports.twice = function (x) { return 2 * x; };",
        sub: { m: "var u = require('../utils'); exports.v = u.twice(21);" },
      },
    ]);
    s.send([
      "add_fun",
      "function(doc){ emit(require('views/lib/sub/m').v, require('views/lib/utils') === require('views/lib/utils')); }",
    ]);
    s.send(["add_fun", "function(doc){ require('views/lib/missing'); }"]);
    const result = s.send(["map_doc", { _id: "a" }]);
    assert.match(
      (result.replies[0] as string[])[1],
      /^function raised exception error,invalid_require_path,Object has no property "missing"/,
    );
    assert.deepEqual(replyOf(result), [[[42, true]], []]);
  });

  it("index_doc and nouveau_index_doc collect index() calls", () => {
    const s = session();
    s.send(["add_fun", "function(doc){ index('title', doc.title, {store: true}); }"]);
    assert.deepEqual(replyOf(s.send(["index_doc", { _id: "a", title: "t" }])), [[["title", "t", { store: true }]]]);
    s.send(["reset"]);
    s.send([
      "add_fun",
      "function(doc){ index('string', 'n', doc.title, {store: true}); index('stored', 's', 1); }",
      "nouveau",
    ]);
    assert.deepEqual(replyOf(s.send(["nouveau_index_doc", { _id: "a", title: "t" }])), [
      [
        { "@type": "string", name: "n", value: "t", store: true },
        { "@type": "stored", name: "s", value: 1 },
      ],
    ]);
  });

  it("a function that modified built-ins runs pristine after reset + add_fun", () => {
    const s = session();
    const source =
      "function(doc){ var before = [1].indexOf(1); Array.prototype.indexOf = function () { return 'patched'; }; emit(before, 1); }";
    s.send(["add_fun", source]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[[0, 1]]]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "b" }])), [[["patched", 1]]]);
    s.send(["reset"]);
    s.send(["add_fun", source]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "c" }])), [[[0, 1]]]);
  });

  it("the emit limit (64 MiB of emitted JSON per call) ends the call fatally, even if the function catches its error", () => {
    const s = session();
    s.send([
      "add_fun",
      "function(doc) { var big = new Array(1 << 20).join('x'); for (var i = 0; i < 100; i++) emit(i, big); }",
    ]);
    s.send(["add_fun", "function(doc) { for (var i = 0; i < 1e9; i++) try { emit(doc, i); } catch (e) {} }"]);
    const result = s.send(["map_doc", { _id: "a", pad: "y".repeat(100000) }]);
    assert.deepEqual(result.replies, [
      [
        "error",
        "InternalError",
        "map function emitted more than 64 MiB for one document with doc._id a (the query server's emit limit)",
      ],
    ]);
    assert.equal(result.exit, 255);
  });

  it("many small emits stay well under the emit limit", () => {
    const s = session();
    s.send(["add_fun", "function(doc) { for (var i = 0; i < 20000; i++) emit([doc._id, i], i); }"]);
    const rows = replyOf(s.send(["map_doc", { _id: "a" }])) as unknown[][][];
    assert.equal(rows[0].length, 20000);
    assert.deepEqual(rows[0][19999], [["a", 19999], 19999]);
  });
});
