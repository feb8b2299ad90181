import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { QUERY_SERVERS } from "../couch/query-servers.js";
import { loadDesignDocTemplate, parseTemplate, renderDesignDoc } from "./design-docs.js";

test("the default design doc is the classic byType + count/sum(values) pair", async () => {
  const template = await loadDesignDocTemplate();
  assert.deepEqual(Object.keys(template.views).sort(), ["byType", "count"]);
  assert.match(template.views.byType!.map, /if \(doc\.type\)[\s\S]*emit\(doc\.type, doc\)/);
  assert.match(template.views.count!.map, /emit\(doc\._id, 1\)/);
  assert.match(template.views.count!.reduce!, /return sum\(values\)/);
});

test("every server's copy has identical function source, autoupdate off, and its own language", async () => {
  const template = await loadDesignDocTemplate();
  const rendered = QUERY_SERVERS.map((server) => renderDesignDoc(template, server.language, "run1-r1-abc", server.name));
  for (const ddoc of rendered) {
    assert.equal(ddoc.autoupdate, false);
    assert.deepEqual(ddoc.views, rendered[0]!.views);
  }
  assert.deepEqual(rendered.map((d) => d.language), ["javascript", "javascript_quickjs", "typescript", "typescript_base", "noop"]);
});

test("the index signature inputs (language, views, options) differ for every build and server", async () => {
  const template = await loadDesignDocTemplate();
  const signatures = new Set<string>();
  const ids = new Set<string>();
  for (const build of ["run1-r1-aaa", "run1-r2-bbb", "run2-r1-ccc"]) {
    for (const server of QUERY_SERVERS) {
      const ddoc = renderDesignDoc(template, "javascript", build, server.name);
      signatures.add(JSON.stringify([ddoc.language, ddoc.views, ddoc.options]));
      ids.add(ddoc._id);
    }
  }
  assert.equal(signatures.size, 3 * QUERY_SERVERS.length);
  assert.equal(ids.size, 3 * QUERY_SERVERS.length);
});

test("a user's design doc keeps views.lib and drops everything else; bad ones are usage errors", async () => {
  const exported = { _id: "_design/mine", _rev: "3-abc", language: "javascript", views: { lib: { util: "exports.x = 1;" }, v: { map: "function (doc) { emit(1, require('views/lib/util').x); }", reduce: "_count" } } };
  const template = parseTemplate(exported, "mine.json");
  assert.deepEqual(template.lib, { util: "exports.x = 1;" });
  assert.equal(template.views.v!.reduce, "_count");
  assert.deepEqual(renderDesignDoc(template, "typescript", "b", "typescript").views.lib, { util: "exports.x = 1;" });
  assert.throws(() => parseTemplate({}, "x.json"), /--ddoc x.json: no "views" object/);
  assert.throws(() => parseTemplate({ views: { v: { map: 3 } } }, "x.json"), /view "v" needs a "map" string/);
  assert.throws(() => parseTemplate({ views: { lib: {} } }, "x.json"), /has no view with a "map" function/);
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ddoc-"));
  await writeFile(join(dir, "bad.json"), "{");
  await assert.rejects(loadDesignDocTemplate(join(dir, "bad.json")), /--ddoc .*bad.json: cannot read a JSON design doc/);
});
