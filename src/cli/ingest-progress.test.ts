import assert from "node:assert/strict";
import { test } from "node:test";
import type { IngestStep } from "../results/ingest-format.js";
import { IngestProgress } from "./ingest-progress.js";

function step(rate: number, searched = false, drainMs = 2000): IngestStep {
  return {
    key: `url/javascript/${rate}`,
    targetId: "url",
    server: "javascript",
    rate,
    order: 1,
    searched,
    outcome: "sustained",
    reasons: [],
    startedAt: "2026-12-05T00:00:00.000Z",
    drainMs,
  };
}

const knee = { targetId: "url", server: "javascript", status: "above" as const, nonMonotonic: [] };

function progressAt(clock: () => number, lines: string[], steps = 4, stepMs = 25_000) {
  // Steps with 2 s of drain expected, on a target already running.
  return new IngestProgress(
    { write: (text: string) => (lines.push(text), true) } as unknown as NodeJS.WritableStream,
    { steps, stepMs, expectedDrainMs: 2000, drainTimeoutMs: 120_000, targetStartMs: 0, totalMs: steps * stepMs },
    clock,
  );
}

test("ingest: steps twice as long as planned correct the total once, with the new figure", () => {
  let clock = 0;
  const lines: string[] = [];
  const progress = progressAt(() => clock, lines);
  progress.handle({ type: "target", message: "using the running server" });
  for (const [i, rate] of [100, 200, 400].entries()) {
    progress.handle({ type: "step-start", key: `url/javascript/${rate}`, server: "javascript", rate, searched: false });
    clock = (i + 1) * 50_000;
    progress.handle({ type: "step", step: step(rate), knee });
  }
  assert.deepEqual(
    lines.filter((line) => line.includes("estimate corrected")),
    ["  estimate corrected: about 3 min 20 s in all, not 100.0 s (this run goes 2.0× slower than that estimate)\n"],
  );
});

test("ingest: steps as planned say nothing; a search longer than planned adds its steps to the total", () => {
  let clock = 0;
  const lines: string[] = [];
  const progress = progressAt(() => clock, lines, 2);
  for (const [i, rate] of [100, 200, 400, 800].entries()) {
    progress.handle({ type: "step-start", key: `url/javascript/${rate}`, server: "javascript", rate, searched: i > 1 });
    clock = (i + 1) * 25_000;
    progress.handle({ type: "step", step: step(rate, i > 1), knee });
  }
  assert.equal(lines.filter((line) => line.includes("estimate corrected")).length, 0);
  assert.match(
    lines.find((line) => line.includes("@ 800"))!,
    /\[4\/4\+, ETA 25\.0 s\]/,
  );
});

test("ingest: short steps that drain at once are not read as a fast machine; a step that never drains counts its wait", () => {
  // 10 s steps, 2 s of it the expected drain; the first two drain in 0.2 s (8.2 s each): on schedule.
  let clock = 0;
  const lines: string[] = [];
  const progress = progressAt(() => clock, lines, 6, 10_000);
  for (const [i, rate] of [100, 200].entries()) {
    clock = (i + 1) * 8200;
    progress.handle({ type: "step", step: step(rate, false, 200), knee });
  }
  assert.equal(lines.filter((line) => line.includes("estimate corrected")).length, 0);
  // The third never drained: it waited the whole --drain-timeout, which the total now holds.
  clock += 128_000;
  progress.handle({ type: "step", step: { ...step(400), drainMs: undefined }, knee });
  assert.deepEqual(
    lines.filter((line) => line.includes("estimate corrected")),
    ["  estimate corrected: about 2 min 54 s in all, not 60.0 s (this run goes 2.9× slower than that estimate)\n"],
  );
});
