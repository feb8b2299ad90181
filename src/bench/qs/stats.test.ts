import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunSample } from "../../results/qs-bench-format.js";
import { summarise } from "./qs-bench.js";
import { median, percentile } from "../../core/stats.js";
import { rotation } from "../plan.js";
import { latencySummary, medianOf } from "./stats.js";

describe("median", () => {
  it("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), RangeError);
  });

  it("skips unmeasured (null) values and is null when none was measured", () => {
    const samples = [{ cpu: 10 }, { cpu: null }, { cpu: 30 }];
    assert.equal(
      medianOf(samples, (s) => s.cpu),
      20,
    );
    assert.equal(
      medianOf([{ cpu: null }], (s) => s.cpu),
      null,
    );
  });
});

describe("percentile (nearest rank)", () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it("returns a measured value: the smallest with p% at or below it", () => {
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 100), 100);
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
    assert.equal(percentile([10], 99), 10);
    assert.equal(percentile([1, 2], 0), 1);
  });

  it("summarises unsorted latencies", () => {
    const latencies = Float64Array.from([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]);
    assert.deepEqual(latencySummary(latencies), { p50: 5, p99: 10 });
    assert.deepEqual([...latencies].slice(0, 2), [9, 1], "the input is left as it was");
  });
});

describe("rotation", () => {
  it("moves the first server to the end each repeat, so none always runs first", () => {
    const servers = ["a", "b", "c"];
    assert.deepEqual(
      [0, 1, 2, 3].map((repeat) => rotation(servers, repeat).join("")),
      ["abc", "bca", "cab", "abc"],
    );
    assert.deepEqual(rotation([], 2), []);
  });
});

describe("summarise", () => {
  const sample = (mapMs: number, cpuMs: number | null, repeat: number): RunSample => ({
    repeat,
    position: 0,
    startupMs: 100 + repeat,
    docs: 1000,
    docBytes: 2_000_000,
    mapMs,
    docsPerSecond: 1000 / (mapMs / 1000),
    megabytesPerSecond: 2 / (mapMs / 1000),
    latencyP50Ms: mapMs / 1000,
    latencyP99Ms: (mapMs / 1000) * 3,
    reduceMs: 10 * (repeat + 1),
    reduceCalls: 5,
    rereduceCalls: 1,
    cpuMs,
    peakMemoryBytes: cpuMs === null ? null : 50e6,
  });

  it("quotes medians over repeats and map time relative to the baseline", () => {
    const samples = new Map([
      ["fast", [sample(500, 400, 0), sample(400, 300, 1), sample(900, 800, 2)]],
      ["slow", [sample(2000, null, 0), sample(1000, null, 1), sample(1500, null, 2)]],
    ]);
    const fast = summarise(samples, "fast");
    assert.deepEqual(fast.get("fast"), {
      startupMs: 101,
      mapMs: 500,
      docsPerSecond: 2000,
      megabytesPerSecond: 4,
      latencyP50Ms: 0.5,
      latencyP99Ms: 1.5,
      reduceMs: 20,
      cpuMs: 400,
      peakMemoryBytes: 50e6,
      relativeMapTime: 1,
    });
    assert.equal(fast.get("slow")!.relativeMapTime, 3);
    assert.equal(fast.get("slow")!.cpuMs, null);
    assert.equal(summarise(samples, "slow").get("fast")!.relativeMapTime, 500 / 1500);
  });

  it("refuses a baseline that was not measured", () => {
    assert.throws(() => summarise(new Map([["a", [sample(1, 1, 0)]]]), "b"), /baseline "b"/);
  });
});
