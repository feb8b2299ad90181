import { test } from "node:test";
import assert from "node:assert/strict";
import { builtInEquivalent } from "./reduce-rewrites.js";

/** The spelling in CouchDB's documentation of a JS reduce equivalent to _stats. */
const DOCUMENTED_STATS = `function (keys, values, rereduce) {
  if (rereduce) {
    return {
      'sum': values.reduce(function(a, b) { return a + b.sum }, 0),
      'min': values.reduce(function(a, b) { return Math.min(a, b.min) }, Infinity),
      'max': values.reduce(function(a, b) { return Math.max(a, b.max) }, -Infinity),
      'count': values.reduce(function(a, b) { return a + b.count }, 0),
      'sumsqr': values.reduce(function(a, b) { return a + b.sumsqr }, 0)
    }
  } else {
    return {
      'sum': sum(values),
      'min': Math.min.apply(null, values),
      'max': Math.max.apply(null, values),
      'count': values.length,
      'sumsqr': (function() {
        var sumsqr = 0;
        values.forEach(function (value) {
          sumsqr += value * value;
        });
        return sumsqr;
      })(),
    }
  }
}`;

const EQUIVALENT: Array<[string, string, string]> = [
  ["_sum", "the classic sum(values)", "function (keys, values, rereduce) {\n  return sum(values);\n}"],
  ["_sum", "with a rereduce branch", "function (k, v, re) { if (re) { return sum(v); } else { return sum(v); } }"],
  [
    "_sum",
    "with a negated rereduce branch and no else",
    "function (keys, values, rereduce) { if (!rereduce) return sum(values); return sum(values); }",
  ],
  [
    "_sum",
    "as a for loop",
    "function (keys, values) { var total = 0; for (var i = 0; i < values.length; i++) { total += values[i]; } return total; }",
  ],
  [
    "_sum",
    "as a for…of loop",
    "function (keys, values) { let total = 0; for (const v of values) total = total + v; return total; }",
  ],
  [
    "_sum",
    "as values.reduce",
    "function (keys, values) { return values.reduce(function (a, b) { return a + b; }, 0); }",
  ],
  ["_sum", "as an arrow function", "(keys, values) => values.reduce((a, b) => b + a, 0)"],
  [
    "_count",
    "length, then sum on rereduce",
    "function (keys, values, rereduce) { if (rereduce) { return sum(values); } else { return values.length; } }",
  ],
  [
    "_count",
    "as a ternary on keys",
    "function (keys, values, rereduce) { return rereduce ? sum(values) : keys.length; }",
  ],
  [
    "_count",
    "counting in a loop",
    "function (keys, values, rereduce) { if (rereduce) return sum(values); var n = 0; values.forEach(function (v) { n += 1; }); return n; }",
  ],
  ["_stats", "as CouchDB's documentation spells it", DOCUMENTED_STATS],
];

for (const [builtIn, spelling, source] of EQUIVALENT) {
  test(`${builtIn}: recognises ${spelling}`, () => {
    assert.equal(builtInEquivalent(source), builtIn);
  });
}

test("_stats: recognises Math.min(...values) and Math.pow in a for loop", () => {
  const source = `function (keys, values, rereduce) {
    if (!rereduce) {
      var squares = 0;
      for (var i = 0; i < values.length; i++) squares += Math.pow(values[i], 2);
      return { sum: sum(values), count: values.length, min: Math.min(...values), max: Math.max(...values), sumsqr: squares };
    }
    return {
      sum: sum(values.map ? values : values) , count: 0, min: 0, max: 0, sumsqr: 0
    };
  }`;
  // The rereduce branch above is wrong on purpose (`values.map`, constant fields): not _stats.
  assert.equal(builtInEquivalent(source), undefined);
  const correct = source.replace(
    /return \{\n\s+sum: sum\(values.map[^}]+\};/,
    "return { sum: values.reduce((a, b) => a + b.sum, 0), count: values.reduce((a, b) => a + b.count, 0), min: values.reduce((a, b) => Math.min(a, b.min), Infinity), max: values.reduce((a, b) => Math.max(b.max, a), -Infinity), sumsqr: values.reduce((a, b) => a + b.sumsqr, 0) };",
  );
  assert.notEqual(correct, source);
  assert.equal(builtInEquivalent(correct), "_stats");
});

const NOT_EQUIVALENT: Array<[string, string]> = [
  ["sum(values) + 1", "function (keys, values, rereduce) { return sum(values) + 1; }"],
  ["a sum of mapped values", "function (keys, values) { return sum(values.map(function (v) { return v.amount; })); }"],
  [
    "a sum of a field",
    "function (keys, values) { return values.reduce(function (a, b) { return a + b.amount; }, 0); }",
  ],
  ["an average of averages", "function (keys, values, rereduce) { return sum(values) / values.length; }"],
  [
    "a _count lookalike that counts only some values",
    "function (keys, values, rereduce) { if (rereduce) return sum(values); return values.filter(function (v) { return v > 10; }).length; }",
  ],
  [
    "values.length without the rereduce branch (counts reductions on rereduce)",
    "function (keys, values) { return values.length; }",
  ],
  ["a side effect", "function (keys, values) { log('reducing'); return sum(values); }"],
  ["a write to values", "function (keys, values) { values[0] = 0; return sum(values); }"],
  [
    "a fold that does not start at 0",
    "function (keys, values) { return values.reduce(function (a, b) { return a + b; }, 10); }",
  ],
  [
    "a loop that stops early",
    "function (keys, values) { var t = 0; for (var i = 0; i < 10; i++) t += values[i]; return t; }",
  ],
  ["a shadowed sum", "function (keys, values) { var sum = function () { return 1; }; return sum(values); }"],
  [
    "a condition other than rereduce",
    "function (keys, values, rereduce) { if (values.length > 2) return 0; return sum(values); }",
  ],
  [
    "_stats without sumsqr",
    "function (keys, values, rereduce) { if (rereduce) return { sum: values.reduce((a, b) => a + b.sum, 0), count: values.reduce((a, b) => a + b.count, 0), min: values.reduce((a, b) => Math.min(a, b.min), Infinity), max: values.reduce((a, b) => Math.max(a, b.max), -Infinity) }; return { sum: sum(values), count: values.length, min: Math.min.apply(null, values), max: Math.max.apply(null, values) }; }",
  ],
  ["_stats whose rereduce counts reductions", DOCUMENTED_STATS.replace("a + b.count", "a + 1")],
  ["a built-in already", "_sum"],
  ["not JavaScript", "function (keys, values { return sum(values); }"],
  ["two functions", "function (k, v) { return sum(v); } function () {}"],
  ["no return on one path", "function (keys, values, rereduce) { if (rereduce) return sum(values); }"],
];

for (const [what, source] of NOT_EQUIVALENT) {
  test(`leaves alone ${what}`, () => {
    assert.equal(builtInEquivalent(source), undefined);
  });
}
