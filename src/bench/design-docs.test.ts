import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MANGO_LANGUAGE, QUERY_SERVERS } from "../couch/query-servers.js";
import {
  DESIGN_DOC_LIBRARY,
  designDocPath,
  firstView,
  loadDesignDocTemplate,
  parseTemplate,
  renderDesignDoc,
} from "./design-docs.js";

test("the default design doc is the classic byType + count/sum(values) pair", async () => {
  const template = await loadDesignDocTemplate();
  assert.deepEqual(Object.keys(template.views).sort(), ["byType", "count"]);
  assert.match(template.views.byType!.map, /if \(doc\.type\)[\s\S]*emit\(doc\.type, doc\)/);
  assert.match(template.views.count!.map, /emit\(doc\._id, 1\)/);
  assert.match(template.views.count!.reduce!, /return sum\(values\)/);
});

test("every JavaScript server's copy has identical function source, autoupdate off, and its own language", async () => {
  const template = await loadDesignDocTemplate();
  const rendered = QUERY_SERVERS.filter((server) => !server.ownSources && server.language !== MANGO_LANGUAGE).map(
    (server) => renderDesignDoc(template, server.language, "run1-r1-abc", server.name),
  );
  for (const ddoc of rendered) {
    assert.equal(ddoc.autoupdate, false);
    assert.deepEqual(ddoc.views, rendered[0]!.views);
  }
  assert.deepEqual(
    rendered.map((d) => d.language),
    ["javascript", "javascript_quickjs", "typescript", "noop"],
  );
  assert.deepEqual(
    renderDesignDoc(template, "probe", "run1-r1-abc", "probe").views,
    rendered[0]!.views,
    "a --query-server gets the same sources",
  );
});

test("erlang's copy of the classic design doc is classic.erlang.json: the same views, in Erlang", async () => {
  const template = await loadDesignDocTemplate();
  assert.deepEqual(Object.keys(template.languages ?? {}), ["erlang"]);
  const ddoc = renderDesignDoc(template, "erlang", "run1-r1-abc", "erlang");
  assert.equal(ddoc.language, "erlang");
  const views = ddoc.views as Record<string, { map: string; reduce?: string }>;
  assert.deepEqual(Object.keys(views).sort(), ["byType", "count"]);
  assert.match(views.byType!.map, /^fun\(\{Doc\}\) ->[\s\S]*Emit\(Type, \{Doc\}\)[\s\S]*end\.$/);
  assert.match(views.count!.reduce!, /lists:sum\(Values\)/);
  assert.deepEqual(
    firstView(template, "erlang"),
    { view: "byType", map: views.byType!.map },
    "the probe runs the design doc's own first view",
  );
  assert.deepEqual(firstView(template, "typescript"), { view: "byType", map: template.views.byType!.map });
});

test("a language's sources must define the same views, reduces included", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ddoc-"));
  await writeFile(
    join(dir, "mine.json"),
    JSON.stringify({ views: { a: { map: "function (doc) { emit(1, 1); }", reduce: "_count" } } }),
  );
  await writeFile(join(dir, "mine.python.json"), JSON.stringify({ views: { a: { map: "def fun(doc): yield 1, 1" } } }));
  await writeFile(join(dir, "mine.notes.txt"), "not a design doc");
  await assert.rejects(
    loadDesignDocTemplate(join(dir, "mine.json")),
    /--ddoc .*mine\.json: .*mine\.python\.json defines a — it must define the same views as the design doc: a \(reduce\)/,
  );
  await writeFile(
    join(dir, "mine.python.json"),
    JSON.stringify({ views: { a: { map: "def fun(doc): yield 1, 1", reduce: "_count" } } }),
  );
  const template = await loadDesignDocTemplate(join(dir, "mine.json"));
  assert.deepEqual(Object.keys(template.languages!), ["python"]);
  assert.equal(renderDesignDoc(template, "python", "b", "python").views.a!.map, "def fun(doc): yield 1, 1");
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
  const exported = {
    _id: "_design/mine",
    _rev: "3-abc",
    language: "javascript",
    views: {
      lib: { util: "exports.x = 1;" },
      v: { map: "function (doc) { emit(1, require('views/lib/util').x); }", reduce: "_count" },
    },
  };
  const template = parseTemplate(exported, "mine.json");
  assert.deepEqual(template.lib, { util: "exports.x = 1;" });
  assert.equal(template.views.v!.reduce, "_count");
  assert.deepEqual(renderDesignDoc(template, "typescript", "b", "typescript").views.lib, { util: "exports.x = 1;" });
  assert.throws(() => parseTemplate({}, "x.json"), /--ddoc x.json: no "views" object/);
  assert.throws(() => parseTemplate({ views: { v: { map: 3 } } }, "x.json"), /view "v" needs a "map" string/);
  assert.throws(() => parseTemplate({ views: { lib: {} } }, "x.json"), /has no view with a "map" function/);
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ddoc-"));
  await writeFile(join(dir, "bad.json"), "{");
  await assert.rejects(
    loadDesignDocTemplate(join(dir, "bad.json")),
    /--ddoc .*bad.json: cannot read a JSON design doc/,
  );
});

test("every design doc of the library loads by name, each view emits for a typed document, none uses what CouchDB's QuickJS lacks", async () => {
  for (const name of DESIGN_DOC_LIBRARY) {
    const template = await loadDesignDocTemplate(designDocPath(name));
    assert.ok(Object.keys(template.views).length >= 2, name);
    for (const [view, source] of Object.entries(template.views)) {
      const emitted: unknown[] = [];
      const map = new Function("emit", `return (${source.map});`)((key: unknown, value: unknown) =>
        emitted.push([key, value]),
      ) as (doc: unknown) => void;
      const typed = { _id: "Ünï-1", type: "tcm-note", title: "Café straße", lines: [[1, 2.5], { tags: ["naïve"] }] };
      // by-field indexes fields of the medium (test-case) documents: a creation date and a nested title.
      const testCase = { ...typed, creation_dt: "2009-08-10T09:19:18", title: { "en-us": "Café straße" } };
      map(name === "by-field" ? testCase : typed);
      assert.ok(emitted.length > 0, `${name}/${view} emits for a typed document`);
      assert.doesNotMatch(
        source.map,
        /\.normalize\(/,
        `${name}/${view}: CouchDB's QuickJS has no String.prototype.normalize`,
      );
    }
  }
  const many = await loadDesignDocTemplate(designDocPath("many-views"));
  assert.equal(Object.keys(many.views).length, 10);
  const emitNull = await loadDesignDocTemplate(designDocPath("emit-null"));
  assert.match(emitNull.views.byType!.map, /emit\(doc\.type, null\)/);
  assert.equal((await loadDesignDocTemplate(designDocPath("builtin"))).views.count!.reduce, "_sum");
});
