import assert from "node:assert/strict";
import { test } from "node:test";
import { searchSteps } from "./ingest-estimate.js";

const LIMITS = { minRate: 1, maxRate: 64000 };

test("rates a factor 2 apart: the bisection to ±10% takes 2 steps wherever the knee lies between them", () => {
  assert.equal(searchSteps([1000, 2000, 4000], LIMITS).expected, 2);
  assert.equal(searchSteps([250, 500, 1000, 2000, 4000], LIMITS).expected, 2);
});

test("rates a factor 10 apart take more steps; rates within 21% of each other none", () => {
  // 10 → √10 = 3.16 → 1.78 → 1.33 → 1.15: 4 bisections.
  assert.equal(searchSteps([100, 1000], LIMITS).expected, 4);
  assert.equal(searchSteps([1000, 1100, 1200], LIMITS).expected, 0);
});

test("a knee outside the rates doubles up (or halves down) to the limit first: atMost counts that", () => {
  const { expected, atMost } = searchSteps([1000, 2000], { minRate: 1000, maxRate: 64000 });
  // 2000 → 4000 … 64000 is 5 doublings, then 2 bisections of the last doubling.
  assert.equal(atMost, 5 + 2);
  assert.equal(expected, 2);
  // 1000 → 500 … 1 is 9 halvings, then 1 bisection of 1–3.
  assert.equal(searchSteps([1000], { minRate: 1, maxRate: 1000 }).atMost, 9 + 1);
});
