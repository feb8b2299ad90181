import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { designDocPath, loadDesignDocTemplate, parseTemplate, renderDesignDoc } from "../design-docs.js";
import { mangoSources, mangoView, parseMangoIndexes } from "./mango-index.js";

test("by-field.mango.json states exactly what couchbench derives from by-field's JavaScript maps", async () => {
  const template = await loadDesignDocTemplate(designDocPath("by-field"));
  assert.ok(template.mango && "indexes" in template.mango, JSON.stringify(template.mango));
  assert.match(template.mango.origin, /by-field\.mango\.json$/);
  const derived = mangoSources({ source: "by-field.json", views: template.views });
  assert.ok("indexes" in derived, JSON.stringify(derived));
  assert.deepEqual(derived.indexes, template.mango.indexes);
  assert.deepEqual(template.mango.indexes, {
    byType: { fields: ["type"] },
    byTypeAndDate: { fields: ["type", "creation_dt"] },
    byTitle: { fields: ["title.en-us"] },
  });
});

test("the mango server's copy is what POST /db/_index stores, with the build marker that makes its signature new", async () => {
  const template = await loadDesignDocTemplate(designDocPath("by-field"));
  const ddoc = renderDesignDoc(template, "query", "run1-r1-abc", "mango");
  assert.equal(ddoc.language, "query");
  assert.equal(ddoc.autoupdate, false);
  assert.deepEqual(ddoc.options, { couchbench_build: "run1-r1-abc-mango" });
  assert.deepEqual(ddoc.views.byTypeAndDate, {
    map: { fields: { type: "asc", creation_dt: "asc" }, partial_filter_selector: {} },
    reduce: "_count",
    options: { def: { fields: ["type", "creation_dt"] } },
  });
  const other = renderDesignDoc(template, "query", "run1-r2-def", "mango");
  assert.notDeepEqual(other.options, ddoc.options);
});

test("a partial_filter_selector is kept in the map and in the definition, as _index stores it", () => {
  const selector = { type: { $gt: "a" } };
  assert.deepEqual(mangoView({ fields: ["type"], partial_filter_selector: selector }), {
    map: { fields: { type: "asc" }, partial_filter_selector: selector },
    reduce: "_count",
    options: { def: { fields: ["type"], partial_filter_selector: selector } },
  });
});

test("classic has no Mango equivalent, and the reason names each view", async () => {
  const template = await loadDesignDocTemplate(designDocPath("classic"));
  assert.ok(template.mango && "unavailable" in template.mango);
  assert.match(template.mango.unavailable, /byType: it emits a value/);
  assert.match(template.mango.unavailable, /count: it emits for every document/);
  assert.match(template.mango.unavailable, /add .*classic\.mango\.json/);
});

test("derived indexes need an array key and _count; a scalar key or another reduce is refused", () => {
  const guarded = (key: string) => `function (doc) { if (doc.type !== undefined) emit(${key}, null); }`;
  const scalar = mangoSources(
    parseTemplate({ views: { v: { map: guarded("doc.type"), reduce: "_count" } } }, "s.json"),
  );
  assert.ok("unavailable" in scalar && /key is not an array/.test(scalar.unavailable));
  const summed = mangoSources(
    parseTemplate({ views: { v: { map: guarded("[doc.type]"), reduce: "_sum" } } }, "s.json"),
  );
  assert.ok("unavailable" in summed && /reduce is not _count/.test(summed.unavailable));
  const noReduce = mangoSources(parseTemplate({ views: { v: { map: guarded("[doc.type]") } } }, "s.json"));
  assert.ok("unavailable" in noReduce);
});

test("a .mango.json must name the design doc's views and give fields; its views need _count", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-mango-"));
  const ddoc = { views: { a: { map: "function (doc) { emit(doc._id, null); }", reduce: "_count" } } };
  await writeFile(join(dir, "d.json"), JSON.stringify(ddoc));
  await writeFile(join(dir, "d.mango.json"), JSON.stringify({ views: { a: { fields: ["_id"] } } }));
  const template = await loadDesignDocTemplate(join(dir, "d.json"));
  assert.deepEqual(template.mango && "indexes" in template.mango && template.mango.indexes, { a: { fields: ["_id"] } });
  assert.deepEqual(template.languages, undefined, ".mango.json is not a language's sources");

  await writeFile(join(dir, "d.mango.json"), JSON.stringify({ views: { b: { fields: ["x"] } } }));
  await assert.rejects(loadDesignDocTemplate(join(dir, "d.json")), /defines b — it must define the same views .*: a/);
  await writeFile(join(dir, "d.mango.json"), "{");
  await assert.rejects(loadDesignDocTemplate(join(dir, "d.json")), /d\.mango\.json: not JSON/);
  assert.throws(() => parseMangoIndexes({ views: { a: { fields: [] } } }, "x.mango.json"), /needs "fields"/);
  assert.throws(
    () => parseMangoIndexes({ views: { a: { fields: ["a"], partial_filter_selector: [] } } }, "x"),
    /needs/,
  );
  assert.throws(() => parseMangoIndexes({}, "x.mango.json"), /no "views" object/);

  const noCount = { views: { a: { map: "function (doc) { emit(doc._id, null); }" } } };
  await writeFile(join(dir, "d.json"), JSON.stringify(noCount));
  await writeFile(join(dir, "d.mango.json"), JSON.stringify({ views: { a: { fields: ["_id"] } } }));
  const without = (await loadDesignDocTemplate(join(dir, "d.json"))).mango;
  assert.ok(without && "unavailable" in without && /a has no "reduce": "_count"/.test(without.unavailable));
});
