import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replyOf, session } from "./test-support/memory-port.js";
import { ServerProcess } from "./test-support/server-process.js";

/**
 * Each attempt is an expression run inside a map function; it must throw or yield something
 * harmless. `reach(f)` stands for "f is a Function constructor that can run host code".
 */
const attempts: Record<string, string> = {
  "emit.constructor": "emit.constructor('return process')()",
  "log.constructor.constructor": "log.constructor.constructor('return process')()",
  "this.constructor.constructor": "(function () { return this; })().constructor.constructor('return process')()",
  "globalThis prototype chain": "Object.getPrototypeOf(globalThis).constructor.constructor('return process')()",
  "Function of the sandbox": "Function('return process')()",
  eval: "eval('process')",
  "indirect eval": "(0, eval)('1')",
  "doc.constructor": "doc.constructor.constructor('return process')()",
  "require from views lib": "require('fs')",
  "console.log.constructor": "console.log.constructor('return process')()",
  "getRow.constructor": "getRow.constructor('return process')()",
  WebAssembly: "new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))",
  "host error from a host call at stack overflow": `(function () {
      var caught = [];
      function deep(n) { try { return deep(n + 1); } catch (e) { try { log('x'); } catch (e2) { caught.push(e2); } return 0; } }
      deep(0);
      return caught.map(function (e) { return e.constructor.constructor('return process')(); });
    })()`,
  "prepareStackTrace callsites": `(function () {
      var found = [];
      Error.prepareStackTrace = function (e, frames) {
        frames.forEach(function (f) { found.push(f.getThis(), f.getFunction()); });
        return 'x';
      };
      try { null.x; } catch (e) { e.stack; }
      Error.prepareStackTrace = undefined;
      return found.filter(Boolean).map(function (v) { return v.constructor.constructor('return process')(); });
    })()`,
  "caller of emit": "(function () { return emit.caller; })()",
  "arguments.callee.caller": "(function f() { return f.caller && f.caller.constructor('return process')(); })()",
};

function attemptSource(expression: string): string {
  return `function (doc) {
    function isProcess(v) { return !!v && typeof v === 'object' && typeof v.pid === 'number' && typeof v.exit === 'function'; }
    var outcome;
    try {
      var value = ${expression};
      outcome = (Array.isArray(value) ? value.some(isProcess) : isProcess(value)) ? 'ESCAPED' : 'harmless';
    } catch (e) { outcome = 'threw'; }
    emit(outcome, null);
  }`;
}

function runAttempt(expression: string): unknown {
  const s = session();
  assert.deepEqual(replyOf(s.send(["add_fun", attemptSource(expression)])), true);
  return replyOf(s.send(["map_doc", { _id: "a" }]));
}

describe("sandbox: escape attempts fail", () => {
  for (const [name, expression] of Object.entries(attempts)) {
    it(name, () => {
      const reply = runAttempt(expression) as unknown[][][];
      assert.notEqual(reply[0]?.[0]?.[0], "ESCAPED", JSON.stringify(reply));
    });
  }

  it("all attempts fail in the bundled server too (dist/query-server.js)", async () => {
    const server = new ServerProcess();
    try {
      for (const expression of Object.values(attempts)) {
        server.send(JSON.stringify(["add_fun", attemptSource(expression)]));
        assert.equal(await server.readLine(), "true");
      }
      server.send(JSON.stringify(["map_doc", { _id: "a" }]));
      const reply = JSON.parse((await server.readLine()) ?? "null") as unknown[][][];
      assert.equal(reply.length, Object.keys(attempts).length);
      assert.ok(
        reply.every((emits) => emits[0][0] !== "ESCAPED"),
        JSON.stringify(reply),
      );
    } finally {
      server.kill();
    }
  });

  it("no host globals are visible", () => {
    const s = session();
    const names = [
      "process",
      "Buffer",
      "setTimeout",
      "setInterval",
      "setImmediate",
      "queueMicrotask",
      "fetch",
      "global",
      "module",
      "exports",
      "__dirname",
      "gc",
      "print",
      "readline",
      "quit",
      "evalcx",
    ];
    s.send([
      "add_fun",
      `function (doc) { emit([${names.map((n) => `typeof ${n}`).join(",")}], Object.getOwnPropertyNames(globalThis).filter(function (n) { return ${JSON.stringify(names)}.indexOf(n) >= 0; })); }`,
    ]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[[names.map(() => "undefined"), []]]]);
  });

  it("dynamic import() is refused at compile time", () => {
    const s = session();
    for (const source of [
      "function (doc) { import('fs'); }",
      "function (doc) { import /* c */ ('child_process').then(function (m) {}); }",
    ]) {
      assert.equal((replyOf(s.send(["add_fun", source])) as string[])[1], "compilation_error");
    }
    s.send(["add_lib", { m: "import('fs')" }]);
    s.send(["add_fun", "function (doc) { require('views/lib/m'); }"]);
    assert.match((s.send(["map_doc", { _id: "a" }]).replies[0] as string[])[1], /import\(\) is not available/);
    // The word alone (a string, a property) is fine.
    assert.deepEqual(replyOf(s.send(["add_fun", "function (doc) { emit(doc.import, 'import'); }"])), true);
  });

  it("one function's global changes do not leak into another function", () => {
    const s = session();
    s.send([
      "add_fun",
      "function (doc) { globalThis.shared = 1; Object.prototype.polluted = 1; JSON.parse = null; emit(1, 1); }",
    ]);
    s.send(["add_fun", "function (doc) { emit(typeof shared, [({}).polluted, typeof JSON.parse]); }"]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[[1, 1]], [["undefined", [null, "function"]]]]);
  });

  it("JSON and the helpers are frozen", () => {
    const s = session();
    s.send([
      "add_fun",
      "function (doc) { 'use strict'; var r = []; try { JSON.stringify = null; r.push('json'); } catch (e) {} try { emit.x = 1; r.push('emit'); } catch (e) {} emit(r, Object.isFrozen(JSON)); }",
    ]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[[[], true]]]);
  });

  it("the full GCs after dropped sandboxes give no later function a gc() global", () => {
    const s = session();
    for (let i = 0; i < 40; i++) s.send(["add_fun", "function (doc) { emit(1, 1); }"]);
    s.send(["reset"]);
    s.send(["add_fun", "function (doc) { emit(typeof gc, typeof globalThis.gc); }"]);
    assert.deepEqual(replyOf(s.send(["map_doc", { _id: "a" }])), [[["undefined", "undefined"]]]);
  });
});
