import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideRepeat, DEFAULT_REPEAT_POLICY, REPEATS_FOR_A_95_INTERVAL, type BuildsSoFar } from "./repeat-policy.js";
import { pointSteps } from "./plan.js";

const policy = { ...DEFAULT_REPEAT_POLICY, reference: "javascript" };

/** server → build times of repeats 1, 2, … */
function builds(byServer: Record<string, number[]>): BuildsSoFar {
  return new Map(Object.entries(byServer).map(([server, ms]) => [server, new Map(ms.map((v, i) => [i + 1, v]))]));
}

describe("decideRepeat", () => {
  it("always runs the minimum, never more than the maximum", () => {
    assert.equal(decideRepeat(policy, builds({ javascript: [5000, 5000], typescript: [2000, 2000] }), 2).repeat, true);
    const wild = builds({ javascript: [5000, 9000, 4000, 12000], typescript: [2000, 2000, 6000, 1000] });
    assert.equal(decideRepeat(policy, wild, 4).repeat, true);
    assert.deepEqual(decideRepeat(policy, wild, 10), { repeat: false, reason: "reached the maximum of 10 repeats" });
  });

  it("stops once the ratio to the reference is pinned down, even when the machine's speed is not", () => {
    // The machine slows by up to 2× between repeats, but typescript stays 0.40× couchjs within each.
    const drifting = builds({
      javascript: [5000, 10000, 7000, 6000, 9000, 8000],
      typescript: [2000, 4000, 2800, 2400, 3600, 3200],
    });
    const decision = decideRepeat(policy, drifting, 6);
    assert.equal(decision.repeat, false, decision.reason);
    assert.match(decision.reason, /^interval within ±2\.5% after 6 repeats$/);
  });

  it("a gated point gets the repeats a 95% interval needs, however narrow the first ones are", () => {
    assert.equal(REPEATS_FOR_A_95_INTERVAL, 6);
    const steady = builds({ javascript: [5000, 5000, 5000], typescript: [2000, 2000, 2000] });
    assert.deepEqual(decideRepeat(policy, steady, 3), {
      repeat: true,
      reason: "a gated point: 3 of at least 6 repeats for a 95% interval",
    });
    // A maximum under 6 still wins.
    assert.equal(decideRepeat({ ...policy, maxRepeats: 4 }, steady, 4).repeat, false);
  });

  it("goes on while the paired ratio is still wide, naming the widest server", () => {
    const noisy = builds({
      javascript: [5000, 5000, 5000, 5000, 5000, 5000],
      typescript: [2000, 2600, 1700, 2300, 1800, 2500],
      quickjs: [3000, 3010, 2990, 3000, 3005, 2995],
    });
    const decision = decideRepeat(policy, noisy, 6);
    assert.equal(decision.repeat, true);
    assert.match(decision.reason, /^typescript: interval \d+(\.\d)?% of the median wide, target 5%$/);
  });

  it("stops points too short to gate at the minimum", () => {
    const short = builds({ javascript: [600, 900, 400], typescript: [150, 300, 100] });
    assert.deepEqual(decideRepeat(policy, short, 3), { repeat: false, reason: "builds under 1000 ms are not gated" });
  });

  it("ignores servers without builds (skipped on this CouchDB) and works without a reference", () => {
    const alone = builds({ typescript: [2000, 2010, 1990, 2000, 2005, 1995], quickjs: [] });
    assert.equal(decideRepeat({ ...policy, reference: "javascript" }, alone, 6).repeat, false);
    assert.equal(decideRepeat(policy, builds({ typescript: [2000, 2600, 1500] }), 3).repeat, true);
    assert.equal(decideRepeat(policy, builds({ javascript: [] }), 3).repeat, false);
  });
});

describe("pointSteps with a repeat policy", () => {
  it("asks before each repeat, with what is recorded by then", () => {
    const recorded = new Map<string, Map<number, number>>([
      ["javascript", new Map()],
      ["typescript", new Map()],
    ]);
    const steps = [];
    for (const step of pointSteps(
      { servers: ["javascript", "typescript"], repeat: 10, designDocs: ["classic"], repeatPolicy: policy },
      () => new Map([["classic", recorded]]),
    )) {
      steps.push(step);
      // Repeat r: couchjs 5 s × r (a machine that keeps slowing down), typescript exactly 0.4× of it.
      recorded.get(step.server)!.set(step.repeat, (step.server === "javascript" ? 5000 : 2000) * step.repeat);
    }
    assert.deepEqual(
      steps.map((s) => `${s.repeat}${s.server[0]}`),
      ["1j", "1t", "2t", "2j", "3j", "3t", "4t", "4j", "5j", "5t", "6t", "6j"],
    );
  });

  it("without a policy: every repeat", () => {
    assert.equal(
      [
        ...pointSteps(
          { servers: ["javascript", "typescript"], repeat: 4, designDocs: ["classic", "builtin"] },
          () => new Map(),
        ),
      ].length,
      16,
    );
  });
});
