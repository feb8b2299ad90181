import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatencyHistogram } from "./latency-histogram.js";

describe("latency histogram", () => {
  it("gives nearest-rank percentiles of recorded milliseconds to 3 significant digits", () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    const s = h.summary();
    assert.equal(s.count, 1000);
    assert.ok(Math.abs(s.p50Ms - 500) <= 0.5, `p50 ${s.p50Ms}`);
    assert.ok(Math.abs(s.p95Ms - 950) <= 1, `p95 ${s.p95Ms}`);
    assert.ok(Math.abs(s.p99Ms - 990) <= 1, `p99 ${s.p99Ms}`);
    assert.ok(Math.abs(s.maxMs - 1000) <= 1, `max ${s.maxMs}`);
    assert.ok(Math.abs(s.meanMs - 500.5) <= 0.5, `mean ${s.meanMs}`);
  });

  it("keeps sub-millisecond resolution and counts a negative value as 0", () => {
    const h = new LatencyHistogram();
    h.record(0.25);
    h.record(-3);
    assert.equal(h.summary().maxMs, 0.25);
    assert.equal(h.percentileMs(50), 0);
  });

  it("merges, and travels as base64 without losing a count or a percentile", () => {
    const fast = new LatencyHistogram();
    const slow = new LatencyHistogram();
    for (let i = 0; i < 90; i++) fast.record(10);
    for (let i = 0; i < 10; i++) slow.record(2000);
    const decoded = LatencyHistogram.decode(slow.summary().histogram);
    fast.add(decoded);
    const merged = fast.summary();
    assert.equal(merged.count, 100);
    assert.ok(Math.abs(merged.p50Ms - 10) < 0.1);
    assert.ok(Math.abs(merged.p95Ms - 2000) < 2);
    assert.equal(LatencyHistogram.decode(merged.histogram).summary().p95Ms, merged.p95Ms);
  });

  it("reports an empty histogram as zeros", () => {
    const s = new LatencyHistogram().summary();
    assert.deepEqual([s.count, s.p50Ms, s.maxMs, s.meanMs], [0, 0, 0, 0]);
  });
});
