import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replyOf, session } from "./test-support/memory-port.js";

const sumSource = "function(keys, values, rereduce) { return sum(values); }";

describe("reduce / rereduce", () => {
  it("reduce calls every function with keys and values; 3- and 4-argument forms", () => {
    const s = session();
    const rows = [
      [[1, "docid-a"], 10],
      [[2, "docid-b"], 20],
    ];
    const sources = [sumSource, "function(k, v) { return k.map(function (kv) { return kv[1]; }).join(); }"];
    assert.deepEqual(s.send(["reduce", sources, rows]).lines, ['[true,[30,"docid-a,docid-b"]]']);
    assert.deepEqual(s.send(["reduce", sources, rows, "db/_design/d/_view/v"]).lines, [
      '[true,[30,"docid-a,docid-b"]]',
    ]);
  });

  it("rereduce calls f(null, values, true)", () => {
    const s = session();
    const source = "function(k, v, rereduce) { return [k, rereduce, sum(v)]; }";
    assert.deepEqual(replyOf(s.send(["rereduce", [source], [33, 55, 66]])), [true, [[null, true, 154]]]);
    assert.deepEqual(replyOf(s.send(["rereduce", [source], [1], ""])), [true, [[null, true, 1]]]);
  });

  it("undefined results become null; exceptions are logged and give null", () => {
    const s = session();
    const result = s.send(["reduce", ["function(){}", "function(){ throw new Error('r'); }"], [[[1, "a"], 1]]]);
    assert.deepEqual(result.replies, [
      ["log", "function raised exception Error: r"],
      [true, [null, null]],
    ]);
  });

  it("reduce has no require()", () => {
    const s = session();
    const result = s.send(["reduce", ["function(){ return require('x'); }"], [[[1, "a"], 1]]]);
    assert.match(
      (result.replies[0] as string[])[1],
      /^function raised exception ReferenceError: require is not defined/,
    );
  });

  it("a source that does not compile fails the whole command", () => {
    const s = session();
    const result = s.send(["reduce", [sumSource, "function(k, v) { return sum(v) "], [[[1, "a"], 1]]]);
    assert.equal((replyOf(result) as string[])[1], "compilation_error");
    assert.equal(result.exit, undefined);
  });

  const grow = "function(k, v) { var out = []; for (var i = 0; i < 1000; i++) out.push('wazzap'); return out; }";

  it("reduce_overflow_error with the 3.5.1+ config (threshold, ratio, context)", () => {
    const s = session();
    s.send(["reset", { reduce_limit: true, reduce_limit_threshold: 5000, reduce_limit_ratio: 2.0, timeout: 5000 }]);
    const line = JSON.stringify(["reduce", [grow], [[[1, "a"], 1]], "db/_design/x/_view/y"]);
    const input = line.length - grow.length;
    assert.deepEqual(replyOf(s.send(line)), [
      "error",
      "reduce_overflow_error",
      `Reduce output must shrink more rapidly: input size: ${input} output size: 9003 context: db/_design/x/_view/y`,
    ]);
  });

  it("reduce_limit 'log' logs the overflow and answers normally", () => {
    const s = session();
    s.send(["reset", { reduce_limit: "log", reduce_limit_threshold: 5000, reduce_limit_ratio: 2.0 }]);
    const result = s.send(["reduce", [grow], [[[1, "a"], 1]]]);
    assert.match(
      (result.replies[0] as string[])[1],
      /^reduce_overflow_error: Reduce output must shrink more rapidly: .* context: $/,
    );
    assert.equal((replyOf(result) as unknown[])[0], true);
  });

  it("older CouchDB config (no threshold keys): fixed 4096/2, no context; reduce_limit false: no check", () => {
    const s = session();
    s.send(["reset", { reduce_limit: true, timeout: 5000 }]);
    assert.match((replyOf(s.send(["reduce", [grow], [[[1, "a"], 1]]])) as string[])[2], /output size: 9003$/);
    s.send(["reset", { reduce_limit: false, timeout: 5000 }]);
    assert.equal((replyOf(s.send(["reduce", [grow], [[[1, "a"], 1]]])) as unknown[])[0], true);
  });
});
