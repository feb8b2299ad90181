import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTemplate } from "../design-docs.js";
import { deriveVariants, type UserDesignDoc, type VariantContext } from "./variants.js";

const WITH_MANGO: VariantContext = {
  availableServers: ["javascript", "quickjs", "typescript", "mango"],
  defaultQ: 2,
  generatedIds: false,
};

function design(views: Record<string, { map: string; reduce?: string }>): UserDesignDoc {
  return { id: "_design/app", language: "javascript", template: parseTemplate({ views }, "app.json"), otherFields: {} };
}

const byType = { map: "function (doc) { if (doc.type !== undefined) emit(doc.type, null); }" };
const byPair = {
  map: "function (doc) { if (doc.a !== undefined && doc.b !== undefined) emit([doc.a, doc.b], null); }",
  reduce: "_count",
};
const total = { map: "function (doc) { emit(doc._id, doc.n); }", reduce: "_sum" };

test("views with an equivalent move to one Mango design doc; the rest stay in JavaScript beside it", () => {
  const { variants, skipped } = deriveVariants(design({ byType, byPair, total }), WITH_MANGO);
  const mango = variants.find((variant) => variant.kind === "mango-index");
  assert.ok(mango);
  assert.equal(mango.readerVisible, true);
  assert.match(mango.readers, /_find/);
  assert.equal(mango.title, "byType, byPair as a Mango index");
  assert.deepEqual(mango.designServers, ["javascript", "mango"]);
  assert.deepEqual(Object.keys(mango.designs[0]!.views), ["total"]);
  const indexes = mango.designs[1]!.mango;
  assert.deepEqual(indexes && "indexes" in indexes && indexes.indexes, {
    byType: { fields: ["type"] },
    byPair: { fields: ["a", "b"] },
  });
  assert.equal(mango.designs[1]!.views.byType!.reduce, "_count", "Mango's reduce, read with reduce=false");
  assert.deepEqual(mango.mangoScalarKeyViews, ["byType"], "byType's key k is compared with the index's [k]");
  assert.ok(
    skipped.some((note) => /as a Mango index \(no equivalent\): total: it emits for every document/.test(note)),
  );
  assert.equal(mango.ddocChange, undefined, "never part of the advised design doc: readers must change");
});

test("a design doc whose views all have an equivalent is one Mango design doc", () => {
  const { variants } = deriveVariants(design({ byType }), WITH_MANGO);
  const mango = variants.find((variant) => variant.kind === "mango-index")!;
  assert.deepEqual(mango.designServers, ["mango"]);
  assert.equal(mango.designs.length, 1);
});

test("no Mango variant: no equivalent, a reduce Mango cannot keep, or no Mango on the CouchDB", () => {
  const truthy = { map: "function (doc) { if (doc.type) emit(doc.type, null); }" };
  const none = deriveVariants(design({ truthy }), WITH_MANGO);
  assert.equal(
    none.variants.find((v) => v.kind === "mango-index"),
    undefined,
  );
  assert.ok(none.skipped.some((note) => /truthy: its truthiness test/.test(note)));

  const summed = deriveVariants(design({ s: { ...byType, reduce: "_sum" } }), WITH_MANGO);
  assert.equal(
    summed.variants.find((v) => v.kind === "mango-index"),
    undefined,
  );
  assert.ok(summed.skipped.some((note) => /s: its reduce _sum has no Mango equivalent/.test(note)));

  const jsReduce = deriveVariants(
    design({ s: { ...byType, reduce: "function (k, v) { return sum(v); }" } }),
    WITH_MANGO,
  );
  assert.ok(jsReduce.skipped.some((note) => /reduce \(JavaScript\) has no Mango/.test(note)));

  const noMango = deriveVariants(design({ byType }), { ...WITH_MANGO, availableServers: ["javascript"] });
  assert.equal(
    noMango.variants.find((v) => v.kind === "mango-index"),
    undefined,
  );
  assert.ok(noMango.skipped.includes("Mango indexes: not available on this CouchDB"));
});
