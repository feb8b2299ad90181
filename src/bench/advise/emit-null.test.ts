import { test } from "node:test";
import assert from "node:assert/strict";
import { emitNullMap } from "./emit-null.js";

test("emit(key, doc) becomes emit(key, null), the rest of the source untouched", () => {
  const source = "function (doc) {\n  if (doc.type) {\n    emit(doc.type, doc);\n  }\n}";
  assert.equal(emitNullMap(source), "function (doc) {\n  if (doc.type) {\n    emit(doc.type, null);\n  }\n}");
});

test("every emit of the document is rewritten, whatever the parameter is called", () => {
  const source = "function (d) { emit(d.a, d); if (d.b) emit([d.b, 1], d); emit(d._id, 1); }";
  assert.equal(emitNullMap(source), "function (d) { emit(d.a, null); if (d.b) emit([d.b, 1], null); emit(d._id, 1); }");
});

test("arrow functions are view functions too", () => {
  assert.equal(emitNullMap("(doc) => emit(doc._id, doc)"), "(doc) => emit(doc._id, null)");
});

const LEFT_ALONE: Array<[string, string]> = [
  ["a map that emits a field, not the document", "function (doc) { emit(doc._id, doc.type); }"],
  ["a map that changes the document before emitting it", "function (doc) { doc.seen = true; emit(doc._id, doc); }"],
  ["a map that deletes a field", "function (doc) { delete doc.body; emit(doc._id, doc); }"],
  ["a map that increments a field", "function (doc) { doc.n++; emit(doc._id, doc); }"],
  ["a map that reassigns doc", "function (doc) { doc = { a: 1 }; emit(1, doc); }"],
  ["a map that aliases doc", "function (doc) { var copy = doc; copy.x = 1; emit(1, doc); }"],
  ["a map that hands doc to a function", "function (doc) { normalise(doc); emit(1, doc); }"],
  ["a nested function shadowing doc", "function (doc) { [1].forEach(function (doc) { emit(1, doc); }); }"],
  ["a variable shadowing doc", "function (doc) { if (doc.a) { let doc = 1; emit(1, doc); } }"],
  ["not JavaScript", "function (doc { emit(doc._id, doc); }"],
];

for (const [what, source] of LEFT_ALONE) {
  test(`leaves alone ${what}`, () => {
    assert.equal(emitNullMap(source), undefined);
  });
}
