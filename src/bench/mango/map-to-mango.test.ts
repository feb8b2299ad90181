import { test } from "node:test";
import assert from "node:assert/strict";
import { mangoEquivalent } from "./map-to-mango.js";

const EQUIVALENT: Array<[string, string, string[], boolean]> = [
  ["one field, array key", "function (doc) { if (doc.type !== undefined) emit([doc.type], null); }", ["type"], true],
  [
    "two fields in a block, either side of !==",
    "function (doc) {\n  if (doc.a !== undefined && undefined !== doc.b) {\n    emit([doc.a, doc.b], null);\n  }\n}",
    ["a", "b"],
    true,
  ],
  [
    "a scalar key: Mango's key is [value]",
    "function (doc) { if (doc.type !== undefined) emit(doc.type, null) }",
    ["type"],
    false,
  ],
  ["emit without a value (null)", "function (doc) { if (doc.type !== undefined) emit([doc.type]); }", ["type"], true],
  [
    "typeof … !== 'undefined'",
    `function (d) { if (typeof d.type !== "undefined") emit([d.type], null); }`,
    ["type"],
    true,
  ],
  [`"f" in doc, top level`, `function (doc) { if ("type" in doc) emit([doc.type], null); }`, ["type"], true],
  ["void 0", "function (doc) { if (doc.type !== void 0) emit([doc.type], null); }", ["type"], true],
  [
    "a nested field with its parent guarded",
    `function (doc) { if (doc.title && doc.title["en-us"] !== undefined) emit([doc.title["en-us"]], null); }`,
    ["title.en-us"],
    true,
  ],
  [
    "a nested field read with ?.",
    "function (doc) { if (doc.a?.b?.c !== undefined) emit([doc.a.b.c], null); }",
    ["a.b.c"],
    true,
  ],
  [
    "a two-level parent guard and a top-level field",
    "function (doc) { if (doc.a && doc.a.b && doc.a.b.c !== undefined && doc.t !== undefined) emit([doc.t, doc.a.b.c], null); }",
    ["t", "a.b.c"],
    true,
  ],
  ["an arrow function", "(doc) => { if (doc.type !== undefined) emit([doc.type], null); }", ["type"], true],
];

for (const [what, map, fields, keyIsArray] of EQUIVALENT) {
  test(`equivalent: ${what}`, () => {
    assert.deepEqual(mangoEquivalent(map), { equivalent: { fields, keyIsArray } });
  });
}

const NOT_EQUIVALENT: Array<[string, string, RegExp]> = [
  ["no guard: documents without the field emit [null]", "function (doc) { emit([doc.type], null); }", /every document/],
  [
    'a truthiness guard (skips null, false, 0, "")',
    "function (doc) { if (doc.type) emit([doc.type], null); }",
    /truthiness test of doc.type/,
  ],
  ["!= null (skips null)", "function (doc) { if (doc.type != null) emit([doc.type], null); }", /also skips .* null/],
  ["!== null (skips null)", "function (doc) { if (doc.type !== null) emit([doc.type], null); }", /also skips .* null/],
  ["a value other than null", "function (doc) { if (doc.type !== undefined) emit([doc.type], doc); }", /emits a value/],
  ["a value of 1", "function (doc) { if (doc.type !== undefined) emit([doc.type], 1); }", /emits a value/],
  [
    "a key field without a guard",
    "function (doc) { if (doc.a !== undefined) emit([doc.a, doc.b], null); }",
    /doc.b is in the key/,
  ],
  [
    "a guard on a field not in the key",
    "function (doc) { if (doc.a !== undefined && doc.b !== undefined) emit([doc.a], null); }",
    /also tests doc.b/,
  ],
  [
    "an unguarded nested parent (throws a TypeError per document)",
    "function (doc) { if (doc.a.b !== undefined) emit([doc.a.b], null); }",
    /doc.a is read before/,
  ],
  [
    "the parent guard after the field",
    "function (doc) { if (doc.a.b !== undefined && doc.a) emit([doc.a.b], null); }",
    /doc.a is read before/,
  ],
  [
    "an inherited name at the top level",
    "function (doc) { if (doc.constructor !== undefined) emit([doc.constructor], null); }",
    /inherited/,
  ],
  [
    "an inherited name on a nested value (strings have length)",
    "function (doc) { if (doc.a && doc.a.length !== undefined) emit([doc.a.length], null); }",
    /inherited/,
  ],
  [
    "an integer segment",
    `function (doc) { if (doc.a && doc.a[0] !== undefined) emit([doc.a[0]], null); }`,
    /not a field/,
  ],
  [
    "a string integer segment",
    `function (doc) { if (doc.a && doc.a["0"] !== undefined) emit([doc.a["0"]], null); }`,
    /integer/,
  ],
  ["a dotted name", `function (doc) { if (doc["a.b"] !== undefined) emit([doc["a.b"]], null); }`, /dot/],
  ["a nested in", `function (doc) { if (doc.a && "b" in doc.a) emit([doc.a.b], null); }`, /nested/],
  ["an else branch", "function (doc) { if (doc.a !== undefined) emit([doc.a], null); else emit([1], null); }", /else/],
  ["two statements", "function (doc) { var t = doc.type; if (t !== undefined) emit([t], null); }", /more than one/],
  [
    "two emits",
    "function (doc) { if (doc.a !== undefined) { emit([doc.a], null); emit([doc.a], null); } }",
    /exactly one/,
  ],
  ["a computed key", "function (doc) { if (doc.a !== undefined) emit([doc.a + 1], null); }", /not a field/],
  ["a repeated field", "function (doc) { if (doc.a !== undefined) emit([doc.a, doc.a], null); }", /repeats/],
  [
    "an || guard",
    "function (doc) { if (doc.a !== undefined || doc.b !== undefined) emit([doc.a], null); }",
    /conjunction/,
  ],
  ["another variable's field", "function (doc) { if (x.a !== undefined) emit([x.a], null); }", /not a field/],
  ["not JavaScript", "function (doc { emit(doc._id, null); }", /not a single/],
];

for (const [what, map, reason] of NOT_EQUIVALENT) {
  test(`not equivalent: ${what}`, () => {
    const derived = mangoEquivalent(map);
    assert.ok("reason" in derived, `expected a refusal, got ${JSON.stringify(derived)}`);
    assert.match(derived.reason, reason);
  });
}
