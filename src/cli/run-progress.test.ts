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
