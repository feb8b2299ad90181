import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { couchDocJson, planViewBuild, resetLine, setupLines } from "./view-build-stream.js";

const ddoc = {
  views: {
    zeta: { map: "function (doc) { emit(doc.z, 1); }", reduce: "function (k, v) { return sum(v); }" },
    alpha: { map: "function (doc) { emit(doc.a, null); }" },
    counted: { map: "function (doc) { emit(doc.z, 1); }", reduce: "_count" },
    stats: { map: "function (doc) { emit(doc.z, 1); }", reduce: "function (k, v, re) { return v.length; }" },
    über: { map: "function (doc) { emit('ü', 1); }" },
  },
  lib: { util: "exports.x = 1;" },
};

describe("planViewBuild", () => {
  it("adds each distinct map source once, in source (byte) order", () => {
    assert.deepEqual(planViewBuild(ddoc).mapSources, [
      "function (doc) { emit('ü', 1); }",
      "function (doc) { emit(doc.a, null); }",
      "function (doc) { emit(doc.z, 1); }",
    ]);
  });

  it("groups the JS reduces of views sharing a map, leaving built-ins to CouchDB", () => {
    assert.deepEqual(planViewBuild(ddoc).reduceGroups, [
      { mapIndex: 2, sources: ["function (k, v) { return sum(v); }", "function (k, v, re) { return v.length; }"] },
    ]);
  });

  it("teaches views.lib first, and only when it is not empty", () => {
    const lines = setupLines(planViewBuild(ddoc));
    assert.equal(lines[0], '["add_lib",{"util":"exports.x = 1;"}]');
    assert.equal(lines[1], `["add_fun","function (doc) { emit('ü', 1); }"]`);
    assert.equal(lines.length, 4);
    assert.equal(setupLines(planViewBuild({ ...ddoc, lib: {} })).length, 3);
  });

  it("resets with CouchDB 3.4's query server config", () => {
    assert.equal(resetLine(), '["reset",{"reduce_limit":true,"timeout":5000}]');
  });
});

describe("couchDocJson", () => {
  it("puts _id and a deterministic 1-<md5> _rev first, then the body", () => {
    const json = couchDocJson({ type: "post", _id: "doc-1", n: [1, 2] });
    assert.match(json, /^\{"_id":"doc-1","_rev":"1-[0-9a-f]{32}","type":"post","n":\[1,2\]\}$/);
    assert.equal(couchDocJson({ type: "post", _id: "doc-1", n: [1, 2] }), json, "same document, same revision");
    const revOf = (text: string) => JSON.parse(text)._rev as string;
    assert.notEqual(revOf(couchDocJson({ _id: "doc-1", type: "page" })), revOf(json));
  });

  it("replaces a _rev the dataset may carry and handles an empty body", () => {
    assert.match(couchDocJson({ _id: "e", _rev: "9-x" }), /^\{"_id":"e","_rev":"1-[0-9a-f]{32}"\}$/);
  });
});
