import { test } from "node:test";
import assert from "node:assert/strict";
import { needsCouchDB35, recogniseReduce } from "./reduce-rewrites.js";

/**
 * CouchDB 3.5.2's _top_N / _bottom_N on numbers (couch_query_servers:builtin_rank_n):
 * lists:umerge under the collation keeps distinct values, then the first N.
 */
function couchRank(values: number[], n: number, order: "desc" | "asc"): number[] {
  const distinct = [...new Set(values)].sort((a, b) => (order === "desc" ? b - a : a - b));
  return distinct.slice(0, n);
}

/** Runs a JavaScript reduce as CouchDB does: reduce over batches of values, then rereduce the results. */
function runReduce(source: string, values: number[], batch: number): unknown {
  const reduce = new Function(`return (${source});`)() as (k: unknown, v: unknown[], r: boolean) => unknown;
  const reductions: unknown[] = [];
  for (let i = 0; i < values.length; i += batch) {
    const part = values.slice(i, i + batch);
    reductions.push(
      reduce(
        part.map((_, j) => [j, `id${i + j}`]),
        part,
        false,
      ),
    );
  }
  return reduce(null, reductions, true);
}

/** Numbers with many duplicates, in an order that is neither sorted nor reversed. */
function sample(seed: number): number[] {
  let state = seed;
  return Array.from({ length: 60 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state % 40) - 10;
  });
}

const RANKED: Array<[string, string, string]> = [
  [
    "_top_3",
    "flatten with concat.apply, filter first occurrences, sort descending, slice",
    `function (keys, values, rereduce) {
      var all = rereduce ? [].concat.apply([], values) : values;
      return all.filter(function (v, i, a) { return a.indexOf(v) === i; })
        .sort(function (a, b) { return b - a; })
        .slice(0, 3);
    }`,
  ],
  [
    "_top_5",
    "new Set, sort in place, then slice",
    `function (keys, values, rereduce) {
      var all = rereduce ? values.flat() : values;
      var distinct = Array.from(new Set(all));
      distinct.sort((x, y) => y - x);
      return distinct.slice(0, 5);
    }`,
  ],
  [
    "_bottom_2",
    "spread of a Set, ascending, with a reduce that concatenates",
    `(keys, values, rereduce) => [...new Set(rereduce ? values.reduce((a, b) => a.concat(b), []) : values)]
      .sort((a, b) => a - b).slice(0, 2)`,
  ],
  [
    "_bottom_4",
    "descending then reversed, Array.prototype.concat.apply",
    `function (keys, values, rereduce) {
      var all = values;
      if (rereduce) all = Array.prototype.concat.apply([], values);
      return [...new Set(all)].sort(function (a, b) { return b - a; }).reverse().slice(0, 4);
    }`,
  ],
  [
    "_bottom_3",
    "a sorted array aliased before a second in-place sort (both names see the last sort)",
    `function (keys, values, rereduce) {
      var all = Array.from(new Set(rereduce ? values.flat() : values));
      var top = all.sort((a, b) => b - a);
      all.sort((a, b) => a - b);
      return top.slice(0, 3);
    }`,
  ],
];

for (const [builtIn, spelling, source] of RANKED) {
  test(`${builtIn}: recognises ${spelling}, and it computes what CouchDB's ${builtIn} does`, () => {
    assert.deepEqual(recogniseReduce(source), { builtIn });
    const [, direction, n] = /^_(top|bottom)_(\d+)$/.exec(builtIn)!;
    for (const seed of [1, 2, 3])
      for (const batch of [1, 7, 60])
        assert.deepEqual(
          runReduce(source, sample(seed), batch),
          couchRank(sample(seed), Number(n), direction === "top" ? "desc" : "asc"),
        );
  });
}

const RANK_NEAR_MISSES: Array<[string, string, RegExp | undefined]> = [
  [
    "a top 3 that keeps duplicates",
    `function (keys, values, rereduce) {
      var all = rereduce ? [].concat.apply([], values) : values;
      return all.sort(function (a, b) { return b - a; }).slice(0, 3);
    }`,
    /with their duplicates, _top_3 keeps 3 distinct values/,
  ],
  [
    "a top 3 that sorts as strings",
    `function (keys, values, rereduce) {
      var all = rereduce ? [].concat.apply([], values) : values;
      return Array.from(new Set(all)).sort().reverse().slice(0, 3);
    }`,
    /sorts numbers as strings/,
  ],
  [
    "a top 3 that does not flatten on rereduce",
    "function (keys, values) { return Array.from(new Set(values)).sort((a, b) => b - a).slice(0, 3); }",
    /without flattening/,
  ],
  [
    "a top 3 that removes duplicates after cutting",
    `function (keys, values, rereduce) {
      var all = rereduce ? values.flat() : values;
      return Array.from(new Set(all.sort((a, b) => b - a).slice(0, 3)));
    }`,
    /after taking N/,
  ],
  [
    "a top 3 of the values in the order CouchDB passes them",
    "function (keys, values, rereduce) { return Array.from(new Set(rereduce ? values.flat() : values)).slice(0, 3); }",
    /not sorted/,
  ],
  [
    "a top 3 whose comparator is not a difference",
    `function (keys, values, rereduce) {
      var all = rereduce ? values.flat() : values;
      return Array.from(new Set(all)).sort((a, b) => (a < b ? 1 : -1)).slice(0, 3);
    }`,
    undefined,
  ],
  [
    "a top 1 as Math.max (a number, where _top_1 gives a list)",
    "function (keys, values) { return Math.max.apply(null, values); }",
    undefined,
  ],
  [
    "different N on reduce and rereduce",
    `function (keys, values, rereduce) {
      if (rereduce) return Array.from(new Set(values.flat())).sort((a, b) => b - a).slice(0, 2);
      return Array.from(new Set(values)).sort((a, b) => b - a).slice(0, 3);
    }`,
    undefined,
  ],
];

for (const [what, source, reason] of RANK_NEAR_MISSES) {
  test(`leaves alone ${what}`, () => {
    const recognised = recogniseReduce(source);
    assert.equal(recognised.builtIn, undefined);
    if (reason) assert.match(recognised.nearMiss ?? "", reason);
  });
}

test("the near misses really differ from CouchDB's built-in on values with duplicates", () => {
  const [, duplicates] = RANK_NEAR_MISSES[0]!;
  assert.notDeepEqual(runReduce(duplicates, sample(1), 60), couchRank(sample(1), 3, "desc"));
  const [, asStrings] = RANK_NEAR_MISSES[1]!;
  assert.notDeepEqual(runReduce(asStrings, sample(1), 60), couchRank(sample(1), 3, "desc"));
});

const PICKS: Array<[string, string, string]> = [
  ["_first", "values[0]", "function (keys, values, rereduce) { return values[0]; }"],
  ["_first", "an arrow function with .at(0)", "(k, v) => v.at(0)"],
  ["_first", "the same pick on both branches", "function (k, v, re) { if (re) return v[0]; return v[0]; }"],
  ["_last", "values[values.length - 1]", "function (keys, values) { return values[values.length - 1]; }"],
  ["_last", ".at(-1)", "function (keys, values) { return values.at(-1); }"],
];

for (const [builtIn, spelling, source] of PICKS) {
  test(`${builtIn}: recognises ${spelling}, as order-dependent`, () => {
    assert.deepEqual(recogniseReduce(source), { builtIn, orderDependent: true });
    assert.ok(needsCouchDB35(builtIn));
  });
}

const NOT_PICKS: Array<[string, string]> = [
  ["a pick of the second value", "function (keys, values) { return values[1]; }"],
  ["first on reduce, last on rereduce", "function (k, v, re) { return re ? v[v.length - 1] : v[0]; }"],
  ["a pick after sorting in place (the smallest)", "function (k, v) { v.sort((a, b) => a - b); return v[0]; }"],
  ["a pick of a field", "function (keys, values) { return values[0].amount; }"],
  ["the first key", "function (keys, values) { return keys[0]; }"],
  [
    "a sum overwritten inside an immediately invoked function",
    "function (keys, values) { var s = sum(values); (function () { s = 0; })(); return s; }",
  ],
  ["a pick that keeps the key", "function (keys, values) { return [keys[0], values[0]]; }"],
];

for (const [what, source] of NOT_PICKS) {
  test(`leaves alone ${what}`, () => {
    assert.equal(recogniseReduce(source).builtIn, undefined);
  });
}

test("only the built-ins CouchDB 3.5 added need 3.5", () => {
  for (const builtIn of ["_first", "_last", "_top_3", "_bottom_10"]) assert.ok(needsCouchDB35(builtIn));
  for (const builtIn of ["_sum", "_count", "_stats", "_top_", "_approx_count_distinct"])
    assert.ok(!needsCouchDB35(builtIn));
});
