import assert from "node:assert/strict";
import { test } from "node:test";
import type { TargetInfo } from "../results/results-format.js";
import { sampleMeasurement } from "../test-support/sample-results.js";
import { RunProgress } from "./run-progress.js";

const target: TargetInfo = {
  id: "docker-3.4.3",
  kind: "docker",
  url: "http://127.0.0.1:5984",
  couchdbVersion: "3.4.3",
  availableServers: ["typescript"],
};

test("the ETA counts a target's start-up as done once the target is up, as the total counts it", () => {
  // Two Docker targets of one 1 s build each, 30 s start-up each: 62 s planned. The first target
  // took its 30 s, its build 1 s: the run is on schedule with 31 s to go.
  let clock = 0;
  const lines: string[] = [];
  const progress = new RunProgress(
    2,
    62_000,
    () => 1000,
    30_000,
    { isTTY: false, write: (text: string) => (lines.push(text), true) },
    () => clock,
  );
  clock = 30_000;
  progress.handle({ type: "target-ready", target, missing: [], rejected: [] });
  clock = 31_000;
  progress.handle({ type: "measurement", measurement: sampleMeasurement("docker-3.4.3/q1/medium/10/typescript/1") });
  assert.match(lines.at(-1)!, /\[1\/2, ETA 31\.0 s\]\n$/);
});

test("no correction from the first, fixed-cost-bound builds: a fifth of the plan must be done first", () => {
  // Twenty builds planned at 5 s each; the first takes 0.5 s (alone, a projection of "10× faster"), the rest 5 s.
  let clock = 0;
  const lines: string[] = [];
  const progress = new RunProgress(
    20,
    100_000,
    () => 5_000,
    0,
    { isTTY: false, write: (text: string) => (lines.push(text), true) },
    () => clock,
  );
  for (let build = 1; build <= 20; build++) {
    clock = 500 + (build - 1) * 5_000;
    progress.handle({
      type: "measurement",
      measurement: sampleMeasurement(`docker-3.4.3/q1/medium/10/typescript/${build}`),
    });
  }
  assert.equal(lines.filter((line) => line.includes("estimate corrected")).length, 0, lines.join(""));
});

test("an estimate more than 25% off is corrected once with the new total, not at every build", () => {
  // Ten builds planned at 10 s each (100 s); they take 2 s each: the run will take about 20 s.
  let clock = 0;
  const lines: string[] = [];
  const progress = new RunProgress(
    10,
    100_000,
    () => 10_000,
    0,
    { isTTY: false, write: (text: string) => (lines.push(text), true) },
    () => clock,
  );
  const corrections = () => lines.filter((line) => line.includes("estimate corrected"));
  for (let build = 1; build <= 9; build++) {
    clock = build * 2000;
    progress.handle({
      type: "measurement",
      measurement: sampleMeasurement(`docker-3.4.3/q1/medium/10/typescript/${build}`),
    });
  }
  assert.deepEqual(corrections(), [
    "  estimate corrected: about 20.0 s in all, not 100.0 s (this run goes 5.0× faster than that estimate)\n",
  ]);
});

test("an estimate within 25% is left alone, and nothing is corrected after the last build", () => {
  let clock = 0;
  const lines: string[] = [];
  const progress = new RunProgress(
    3,
    30_000,
    () => 10_000,
    0,
    { isTTY: false, write: (text: string) => (lines.push(text), true) },
    () => clock,
  );
  for (const [build, at] of [
    [1, 12_000],
    [2, 24_000],
    [3, 90_000],
  ] as const) {
    clock = at;
    progress.handle({
      type: "measurement",
      measurement: sampleMeasurement(`docker-3.4.3/q1/medium/10/typescript/${build}`),
    });
  }
  assert.equal(lines.filter((line) => line.includes("estimate corrected")).length, 0);
});

test("under a build's line: what it cost, and a warning for a query server that exited and for a busy machine", () => {
  const lines: string[] = [];
  const progress = new RunProgress(1, 1000, () => 1000, 0, {
    isTTY: false,
    write: (text: string) => (lines.push(text), true),
  });
  const m = sampleMeasurement("local/q1/medium/10/javascript/1");
  m.build!.queryServerCpuMs = 550;
  m.build!.cost = {
    sampleIntervalMs: 250,
    samples: 9,
    beamCpuMs: 950,
    beamPeakRssBytes: 100 * 2 ** 20,
    queryServerPeakRssBytes: 40 * 2 ** 20,
    queryServerLargestRssBytes: 30 * 2 ** 20,
    queryServerProcesses: { served: 2, started: 2, exited: 1 },
    index: { fileBytes: 2 * 2 ** 20, activeBytes: 2 ** 20, externalBytes: 3 * 2 ** 20 },
    peakDiskGrowthBytes: 3 * 2 ** 20,
  };
  m.build!.machine = {
    loadAverageStart: 3,
    loadAverageEnd: 3.5,
    cpuCores: 2,
    stealShare: 0,
    otherCpuMs: 900,
    otherShare: 0.4,
    busy: true,
    busyReason: "other processes took 40% of the CPU",
  };
  progress.handle({ type: "measurement", measurement: m });
  assert.deepEqual(lines.slice(1), [
    `${" ".repeat(19)}CPU beam 950 ms + query servers 550 ms · peak RSS beam 100.0 MiB, query servers 40.0 MiB (2 processes, largest 30.0 MiB) · index 2.0 MiB · peak disk +3.0 MiB\n`,
    `${" ".repeat(19)}⚠ 1 query-server process exited mid-build (a crash, kill or timeout; 2 started)\n`,
    `${" ".repeat(19)}⚠ busy machine: other processes took 40% of the CPU (load average 3.5)\n`,
  ]);
});
