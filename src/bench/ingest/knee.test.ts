import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FIND_MAX_RATIO, findKnee, nextSearchRate } from "./knee.js";
import { judgeStep } from "./verdict.js";

const limits = { minRate: 1, maxRate: 64_000 };
const held = (...rates: number[]) => rates.map((rate) => ({ rate, sustained: true }));
const failed = (...rates: number[]) => rates.map((rate) => ({ rate, sustained: false }));

describe("knee", () => {
  it("is the highest sustained rate below the first unsustained one", () => {
    assert.deepEqual(findKnee([...held(100, 200, 400), ...failed(800, 1600)]), {
      status: "bracketed",
      sustainableRate: 400,
      firstUnsustainedRate: 800,
      nonMonotonic: [],
    });
  });

  it("names a sustained rate above the first failure (noise) without moving the knee", () => {
    const knee = findKnee([...held(100, 800), ...failed(400)]);
    assert.equal(knee.sustainableRate, 100);
    assert.equal(knee.firstUnsustainedRate, 400);
    assert.deepEqual(knee.nonMonotonic, [800]);
  });

  it("says above when every rate held, below when none did", () => {
    assert.equal(findKnee(held(100, 200)).status, "above");
    assert.equal(findKnee(failed(100, 200)).status, "below");
    assert.equal(findKnee([]).status, "none");
  });
});

describe("--find-max", () => {
  it("bisects geometrically until the bracket is within ±10%, then stops", () => {
    let verdicts = [...held(400), ...failed(3200)];
    const truth = 1000;
    const tried: number[] = [];
    for (
      let next = nextSearchRate(findKnee(verdicts), limits);
      next !== undefined;
      next = nextSearchRate(findKnee(verdicts), limits)
    ) {
      tried.push(next);
      verdicts = [...verdicts, { rate: next, sustained: next <= truth }];
      assert.ok(tried.length < 20, "the search ends");
    }
    const knee = findKnee(verdicts);
    assert.ok(knee.firstUnsustainedRate! / knee.sustainableRate! <= FIND_MAX_RATIO, JSON.stringify(knee));
    assert.ok(knee.sustainableRate! <= truth && knee.firstUnsustainedRate! > truth);
    const middle = Math.sqrt(knee.sustainableRate! * knee.firstUnsustainedRate!);
    assert.ok(Math.abs(middle - truth) / truth <= 0.1, `knee ~${middle} for a true 1000`);
    assert.equal(tried[0], 1131, "first the geometric middle of 400 and 3200");
  });

  it("doubles when every rate held, up to --max-rate; halves when none did", () => {
    assert.equal(nextSearchRate(findKnee(held(100, 3200)), limits), 6400);
    assert.equal(nextSearchRate(findKnee(held(50_000)), limits), 64_000);
    assert.equal(nextSearchRate(findKnee(held(64_000)), limits), undefined);
    assert.equal(nextSearchRate(findKnee(failed(100, 200)), limits), 50);
    assert.equal(nextSearchRate(findKnee(failed(1)), limits), undefined);
  });

  it("stops on a bracket already within ±10% or with no integer between", () => {
    assert.equal(nextSearchRate(findKnee([...held(1000), ...failed(1200)]), limits), undefined);
    assert.equal(nextSearchRate(findKnee([...held(1), ...failed(2)]), limits), undefined);
  });
});

describe("step verdict", () => {
  const lag = (p95Ms: number) => ({
    count: 40,
    p50Ms: p95Ms / 2,
    p95Ms,
    p99Ms: p95Ms,
    maxMs: p95Ms,
    meanMs: p95Ms / 2,
    histogram: "",
  });
  const flat = {
    slopeMsPerS: 0,
    lowMsPerS: -1,
    highMsPerS: 1,
    confidence: 0.95,
    points: 40,
    confidentRiseMs: -10,
    growing: false,
  };
  const good = {
    offeredRate: 800,
    achievedRate: 799,
    writeErrors: 0,
    lag: lag(300),
    lagTrend: flat,
    sentinels: 40,
    unseenSentinels: 0,
    drainMs: 200,
    readLatency: lag(200),
    readTrend: flat,
    readErrors: 0,
  };

  it("sustains a step that kept up in reader mode", () => {
    assert.deepEqual(judgeStep(good, "reader", 1000), { outcome: "sustained", reasons: [] });
  });

  it("says offered against achieved when the writer fell short", () => {
    const verdict = judgeStep({ ...good, achievedRate: 610 }, "reader", 1000);
    assert.deepEqual(verdict, { outcome: "unsustained", reasons: ["offered 800/s, achieved 610/s"] });
  });

  it("applies the lag ceiling in reader mode only, and a growing trend or a missing drain in both", () => {
    assert.equal(judgeStep({ ...good, lag: lag(1500) }, "reader", 1000).outcome, "unsustained");
    assert.equal(judgeStep({ ...good, lag: lag(55_000) }, "background", 1000).outcome, "sustained");
    const growing = { ...flat, slopeMsPerS: 40, lowMsPerS: 30, growing: true };
    assert.match(judgeStep({ ...good, lagTrend: growing }, "background", 1000).reasons[0]!, /lag grows 40 ms\/s/);
    const { drainMs: _drained, ...undrained } = good;
    assert.deepEqual(judgeStep(undrained, "background", 1000).reasons, [
      "the backlog did not drain before the timeout",
    ]);
  });
});
