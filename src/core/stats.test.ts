import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "./random.js";
import { median, quantile, ratioInterval, spread } from "./stats.js";

describe("median, quantile and spread", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it("interpolates quantiles linearly between order statistics", () => {
    assert.equal(quantile([10, 20, 30, 40, 50], 0.25), 20);
    assert.equal(quantile([1, 2], 0.75), 1.75);
    assert.equal(quantile([1, 2, 3], 0), 1);
    assert.equal(quantile([1, 2, 3], 1), 3);
  });

  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });

  it("summarises a sample as n, median, min and max", () => {
    assert.deepEqual(spread([120, 100, 110, 300]), { n: 4, median: 115, min: 100, max: 300 });
  });

  it("refuses an empty sample instead of returning NaN", () => {
    assert.throws(() => median([]), RangeError);
    assert.throws(() => spread([]), RangeError);
  });
});

describe("ratioInterval", () => {
  const baseline = [100, 104, 98, 101, 99];

  it("is the ratio of medians with an interval around it", () => {
    const current = baseline.map((v) => v * 1.5);
    const interval = ratioInterval(baseline, current);
    assert.equal(interval.ratio, 1.5);
    assert.ok(interval.resampled);
    assert.ok(interval.low <= 1.5 && interval.high >= 1.5);
    assert.ok(interval.low > 1.4 && interval.high < 1.6, `${interval.low}–${interval.high}`);
  });

  it("gives the same interval every time for the same data (seeded)", () => {
    const current = [130, 90, 112, 101, 140];
    assert.deepEqual(ratioInterval(baseline, current), ratioInterval(baseline, current));
    const other = ratioInterval(baseline, current, { seed: 2 });
    assert.ok(Math.abs(other.low - ratioInterval(baseline, current).low) < 0.05, "seeds agree closely");
  });

  it("widens with noise and with confidence", () => {
    const quiet = ratioInterval(baseline, [110, 111, 109, 110, 112]);
    const noisy = ratioInterval(baseline, [80, 150, 110, 95, 140]);
    assert.ok(noisy.high - noisy.low > quiet.high - quiet.low);
    const c80 = ratioInterval(baseline, [80, 150, 110, 95, 140], { confidence: 0.8 });
    assert.ok(c80.high - c80.low <= noisy.high - noisy.low);
  });

  it("has no interval with a single sample on a side", () => {
    assert.deepEqual(ratioInterval([100], [120, 120]), {
      ratio: 1.2,
      low: 1.2,
      high: 1.2,
      confidence: 0.95,
      resampled: false,
    });
  });

  it("collapses to the ratio when repeats are identical", () => {
    const interval = ratioInterval([200, 200, 200], [300, 300, 300]);
    assert.equal(interval.low, 1.5);
    assert.equal(interval.high, 1.5);
  });
});

describe("mulberry32", () => {
  it("repeats its sequence for a seed and stays within [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      values.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.ok(Math.abs(values.reduce((s, v) => s + v, 0) / values.length - 0.5) < 0.05);
  });
});
