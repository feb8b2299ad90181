import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../../core/random.js";
import { theilSen } from "./trend.js";

/** [ms, value] every 250 ms over `seconds`, value = base + slope·t + noise. */
function series(seconds: number, base: number, slopeMsPerS: number, noise: number, seed = 1): Array<[number, number]> {
  const random = mulberry32(seed);
  return Array.from({ length: (seconds * 1000) / 250 }, (_, i) => {
    const t = i * 250;
    return [t, base + (slopeMsPerS * t) / 1000 + (random() - 0.5) * 2 * noise] as [number, number];
  });
}

describe("trend (Theil–Sen with Sen's interval)", () => {
  it("recovers an exact slope", () => {
    const trend = theilSen(series(60, 100, 20, 0), 100)!;
    assert.ok(Math.abs(trend.slopeMsPerS - 20) < 1e-9);
    assert.ok(Math.abs(trend.lowMsPerS - 20) < 1e-9 && Math.abs(trend.highMsPerS - 20) < 1e-9);
    assert.equal(trend.growing, true);
  });

  it("calls a noisy but flat series bounded, its interval around 0", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const trend = theilSen(series(60, 300, 0, 150, seed), 100)!;
      assert.equal(trend.growing, false, `seed ${seed}: ${JSON.stringify(trend)}`);
      assert.ok(trend.lowMsPerS <= 0.5 && trend.highMsPerS >= -0.5, `seed ${seed}`);
    }
  });

  it("calls a backlog growing 50 ms/s through heavy noise and a few huge outliers growing", () => {
    const noisy = series(60, 200, 50, 400);
    for (const i of [10, 50, 90]) noisy[i]![1] = 30_000;
    const trend = theilSen(noisy, 100)!;
    assert.equal(trend.growing, true);
    assert.ok(trend.slopeMsPerS > 35 && trend.slopeMsPerS < 65, `slope ${trend.slopeMsPerS}`);
  });

  it("does not call a certain but tiny rise growing: under the tolerance over the whole step", () => {
    const trend = theilSen(series(60, 100, 1, 0), 100)!;
    assert.ok(trend.lowMsPerS > 0);
    assert.equal(trend.confidentRiseMs < 100, true);
    assert.equal(trend.growing, false);
  });

  it("thins long series and needs at least 3 points", () => {
    assert.equal(theilSen(series(600, 0, 5, 10), 100)!.points, 600);
    assert.equal(
      theilSen(
        [
          [0, 1],
          [1000, 2],
        ],
        100,
      ),
      undefined,
    );
  });
});
