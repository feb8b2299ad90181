import assert from "node:assert/strict";
import { test } from "node:test";
import { approximatelyEqual, describeDifference, type ViewOutput } from "./view-output.js";

const output = (parts: Record<string, string>, reductions: Record<string, unknown>, rows = 3): ViewOutput => ({
  digest: JSON.stringify(parts),
  parts,
  rowsByView: Object.fromEntries(Object.keys(parts).map((view) => [view, rows])),
  reductions,
});

test("reductions may differ in float rounding, not in value", () => {
  assert.ok(approximatelyEqual([{ key: null, value: 0.1 + 0.2 }], [{ key: null, value: 0.3 }]));
  assert.ok(approximatelyEqual({ sum: 1e21, n: 3 }, { sum: 1e21 * (1 + 1e-12), n: 3 }));
  assert.ok(!approximatelyEqual([{ value: 12.3 }], [{ value: 12.5 }]));
  assert.ok(!approximatelyEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!approximatelyEqual([1, 2], [1]));
  assert.ok(!approximatelyEqual("1", 1));
});

test("differences name the views whose rows or reductions differ", () => {
  const reference = output({ byType: "a", count: "b" }, { count: [{ value: 10 }] });
  assert.equal(
    describeDifference(reference, output({ byType: "a", count: "b" }, { count: [{ value: 10 + 1e-12 }] })),
    undefined,
  );
  assert.equal(
    describeDifference(reference, output({ byType: "x", count: "b" }, { count: [{ value: 11 }] }, 2)),
    'rows differ in byType (byType: 2 rows vs 3); reduce of count: [{"value":11}] vs [{"value":10}]',
  );
});
