import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { logRange, logTicks } from "./chart-axes.js";
import { formatCount, formatMs } from "./format.js";

/** A y axis as the report draws it: 223 px, labels at least 24 px apart. */
const yTicks = (min: number, max: number) => logTicks(min, max, 223, 24, formatMs, []);

describe("logRange", () => {
  it("pads the values by 15% on each side", () => {
    const [low, high] = logRange(47, 1286);
    assert.ok(Math.abs(low - 47 / 1.15) < 1e-9 && Math.abs(high - 1286 * 1.15) < 1e-9, `${low}–${high}`);
  });

  it("spans at least a factor 2, centred on the values", () => {
    const [low, high] = logRange(60, 75);
    assert.ok(Math.abs(high / low - 2) < 1e-9);
    assert.ok(Math.abs(low * high - 60 * 75) < 1e-6);
    assert.deepEqual(
      logRange(100, 100).map((v) => Math.round(v * 100) / 100),
      [70.71, 141.42],
    );
  });
});

describe("logTicks", () => {
  it("takes 1-2-5 × 10^k over a decade or two", () => {
    assert.deepEqual(yTicks(41, 1479), [50, 100, 200, 500, 1000]);
    assert.deepEqual(logTicks(100, 2000, 494, 50, formatCount, []), [100, 200, 500, 1000, 2000]);
  });

  it("falls back to powers of ten when 1-2-5 would crowd", () => {
    assert.deepEqual(yTicks(30, 488_000), [100, 1000, 10_000, 100_000]);
  });

  it("gives at least 3 even steps when the range is under a decade", () => {
    assert.deepEqual(yTicks(4.17, 26.8), [5, 10, 15, 20, 25]);
    assert.deepEqual(yTicks(43.3, 86.7), [50, 60, 70, 80]);
    assert.ok(yTicks(1.2, 2.4).length >= 3, String(yTicks(1.2, 2.4)));
  });

  it("keeps ticks apart and their labels distinct in any range logRange gives", () => {
    for (const [min, max] of [
      [3.24, 6.49],
      [0.7, 1.5],
      [1100, 2300],
      [12, 48_000],
    ] as const) {
      const ticks = yTicks(min, max);
      assert.ok(ticks.length >= 3, `${min}–${max}: ${ticks}`);
      assert.equal(new Set(ticks.map(formatMs)).size, ticks.length, `${min}–${max}: ${ticks.map(formatMs)}`);
      const pxPerDecade = 223 / Math.log10(max / min);
      ticks.slice(1).forEach((v, i) => assert.ok(Math.log10(v / ticks[i]!) * pxPerDecade >= 24, `${ticks}`));
      assert.ok(ticks[0]! >= min && ticks.at(-1)! <= max);
    }
  });

  it("always shows the pinned values, dropping round ticks that would crowd them", () => {
    assert.deepEqual(logTicks(300, 3000, 494, 50, formatCount, [300, 1200, 3000]), [300, 500, 1200, 2000, 3000]);
    assert.deepEqual(logTicks(10, 1000, 494, 50, formatCount, [100]), [10, 20, 50, 100, 200, 500, 1000]);
  });
});
