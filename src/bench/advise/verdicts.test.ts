import { test } from "node:test";
import assert from "node:assert/strict";
import { advisedVariant } from "../../test-support/advise-fixture.js";
import { chooseChanges, judgeVariant, readerChanges, speedup } from "./verdicts.js";
import type { Variant } from "./variants.js";

const ORIGINAL = [3000, 3100, 2900, 3050, 2950];

test("speed-up is original / variant with compare's interval, inverted", () => {
  const gain = speedup(ORIGINAL, [1000, 1010, 990, 1020, 980]);
  assert.ok(Math.abs(gain.value - 3) < 1e-9);
  assert.ok(gain.low <= gain.value && gain.value <= gain.high);
  assert.ok(gain.low > 2.8 && gain.high < 3.2, JSON.stringify(gain));
});

test("verdicts: faster and slower need the whole interval on one side of 1; a differing output is rejected however fast", () => {
  assert.equal(judgeVariant(advisedVariant("a", "reduce-builtin", [1000, 1010, 990]), ORIGINAL).verdict, "faster");
  assert.equal(judgeVariant(advisedVariant("b", "shards", [6000, 6100, 5900]), ORIGINAL).verdict, "slower");
  assert.equal(judgeVariant(advisedVariant("c", "query-server", [2000, 3000, 4000]), ORIGINAL).verdict, "unclear");
  const rejected = judgeVariant(
    advisedVariant("d", "ids", [100, 100, 100], { output: { status: "mismatch", detail: "rows differ" } }),
    ORIGINAL,
  );
  assert.equal(rejected.verdict, "rejected");
  assert.equal(
    judgeVariant(advisedVariant("e", "emit-null", [100], { error: "CouchDB answered 500" }), ORIGINAL).verdict,
    "errored",
  );
  assert.equal(judgeVariant(advisedVariant("original", "original", ORIGINAL), ORIGINAL).verdict, "baseline");
});

test("the advised set: the fastest winning query server, every winning reduce rewrite and emit-null; never a loser; an equivalent reduce that is not slower, marked", () => {
  const variant = (id: string, ddocChange: Variant["ddocChange"]) => ({ id, ddocChange }) as Variant;
  const variants = [
    variant("server-quickjs", { kind: "language", server: "quickjs" }),
    variant("server-typescript", { kind: "language", server: "typescript" }),
    variant("reduce-count", { kind: "reduce", view: "count", builtIn: "_sum" }),
    variant("reduce-other", { kind: "reduce", view: "other", builtIn: "_count" }),
    variant("reduce-first", { kind: "reduce", view: "first", builtIn: "_first", orderDependent: true }),
    variant("reduce-wrong", { kind: "reduce", view: "wrong", builtIn: "_sum" }),
    variant("reduce-slow", { kind: "reduce", view: "slow", builtIn: "_sum" }),
    variant("emit-null", { kind: "emit-null", views: ["byType"] }),
  ];
  const judged = [
    judgeVariant(advisedVariant("server-quickjs", "query-server", [2000, 2010, 1990]), ORIGINAL),
    judgeVariant(advisedVariant("server-typescript", "query-server", [1500, 1510, 1490]), ORIGINAL),
    judgeVariant(advisedVariant("reduce-count", "reduce-builtin", [1000, 1010, 990]), ORIGINAL),
    judgeVariant(advisedVariant("reduce-other", "reduce-builtin", [3000, 3500, 2500]), ORIGINAL),
    // Reader-visible (a pick's values change): it must be faster to be advised.
    judgeVariant(
      advisedVariant("reduce-first", "reduce-builtin", [3000, 3500, 2500], { readerVisible: true }),
      ORIGINAL,
    ),
    judgeVariant(
      advisedVariant("reduce-wrong", "reduce-builtin", [100, 100, 100], {
        output: { status: "mismatch", detail: "reduce of wrong differs" },
      }),
      ORIGINAL,
    ),
    judgeVariant(advisedVariant("reduce-slow", "reduce-builtin", [6000, 6100, 5900]), ORIGINAL),
    judgeVariant(advisedVariant("emit-null", "emit-null", [2500, 2510, 2490]), ORIGINAL),
  ];
  assert.deepEqual(
    judged.map((v) => v.verdict),
    ["faster", "faster", "faster", "unclear", "unclear", "rejected", "slower", "faster"],
  );
  const changes = chooseChanges(judged, variants);
  assert.deepEqual(changes, [
    { change: { kind: "language", server: "typescript" }, significant: true },
    { change: { kind: "reduce", view: "count", builtIn: "_sum" }, significant: true },
    { change: { kind: "reduce", view: "other", builtIn: "_count" }, significant: false },
    { change: { kind: "emit-null", views: ["byType"] }, significant: true },
  ]);
  assert.deepEqual(readerChanges(changes), [
    { change: "language → typescript", readers: "nothing (the CouchDB must have the typescript query server)" },
    { change: "count: reduce → _sum", readers: "nothing (same results)" },
    {
      change: "other: reduce → _count (speed-up not significant: same answers, less JavaScript)",
      readers: "nothing (same results)",
    },
    {
      change: "byType: emit(key, null) instead of the document",
      readers: "query byType with include_docs=true and read row.doc",
    },
  ]);
});

test("a faster pick rewrite is advised, telling readers their values change", () => {
  const variants = [
    { id: "reduce-first", ddocChange: { kind: "reduce", view: "first", builtIn: "_first", orderDependent: true } },
  ] as Variant[];
  const judged = [
    judgeVariant(
      advisedVariant("reduce-first", "reduce-builtin", [1000, 1010, 990], { readerVisible: true }),
      ORIGINAL,
    ),
  ];
  const [line] = readerChanges(chooseChanges(judged, variants));
  assert.equal(line!.change, "first: reduce → _first");
  assert.match(line!.readers, /value of the first row by key and document id/);
});
