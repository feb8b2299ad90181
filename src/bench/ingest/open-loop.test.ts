/**
 * Coordinated omission: a stand-in server that stalls for 1 s. Every request scheduled during
 * the stall must be recorded, each as late as it really was (the stall's end − its due time,
 * so the first ones ~1 s), not the one slow request a closed loop would see.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HttpEdge } from "./http-edge.js";
import { LatencyHistogram } from "./latency-histogram.js";
import { runOpenLoop, type RequestTiming } from "./open-loop.js";
import { dueMs } from "./schedule.js";
import { startStandInCouch, type StandInCouch } from "./test-support/stand-in-couch.js";

describe("open loop against a server that stalls for 1 s", () => {
  const RATE = 100;
  const COUNT = 300;
  const STALL_AT_MS = 1000;
  const STALL_MS = 1000;
  /** Fewer than the stall's 100 requests: most of them leave only after it, late — and must still count as late. */
  const MAX_IN_FLIGHT = 20;
  let couch: StandInCouch;
  const timings: Array<{ index: number; timing: RequestTiming; error?: unknown }> = [];
  let startedAt = 0;
  let histogram: LatencyHistogram;

  before(async () => {
    startedAt = performance.now() + 50;
    couch = await startStandInCouch({
      visibleAfterMs: 0,
      stall: { from: startedAt + STALL_AT_MS, to: startedAt + STALL_AT_MS + STALL_MS },
    });
    const edge = new HttpEdge(couch.url, MAX_IN_FLIGHT);
    histogram = new LatencyHistogram();
    await runOpenLoop({
      startedAt,
      dueMs: (index) => dueMs(index, RATE, 1),
      count: COUNT,
      maxInFlight: MAX_IN_FLIGHT,
      signal: new AbortController().signal,
      send: async (index) => {
        const answer = await edge.request(
          "PUT",
          `db/doc-${index}`,
          JSON.stringify({ _id: `doc-${index}` }),
          new AbortController().signal,
        );
        if (answer.status !== 201) throw new Error(`status ${answer.status}`);
      },
      onDone: (index, timing, error) => {
        timings.push({ index, timing, error });
        histogram.record(timing.doneAt - timing.dueAt);
      },
    });
    edge.close();
  });

  after(async () => couch?.close());

  it("records every scheduled request, none failed, each timed from its place on the schedule", () => {
    assert.equal(timings.length, COUNT);
    for (const { index, timing } of timings) assert.equal(timing.dueAt, startedAt + dueMs(index, RATE, 1));
    const heldBack = timings.filter(({ timing }) => timing.sentAt - timing.dueAt > 300).length;
    assert.ok(heldBack >= 50, `${heldBack} requests left late, held back by the in-flight limit during the stall`);
    assert.equal(couch.writes, COUNT);
    assert.deepEqual(
      timings.filter((t) => t.error),
      [],
    );
  });

  it("gives each request due in the stall the time until the server answered it, ~1 s for the first", () => {
    const stallEnd = startedAt + STALL_AT_MS + STALL_MS;
    const inStall = timings.filter(
      ({ timing }) => timing.dueAt >= startedAt + STALL_AT_MS + 5 && timing.dueAt < stallEnd - 5,
    );
    assert.ok(inStall.length >= 95, `${inStall.length} requests due in the stall`);
    for (const { index, timing } of inStall) {
      // The server held it until the stall ended; the latency runs from the due time to the answer, whenever it left.
      const answeredAt = couch.acceptedById.get(`doc-${index}`)!;
      assert.ok(
        answeredAt >= stallEnd - 5,
        `request ${index} was answered ${(stallEnd - answeredAt).toFixed(1)} ms before the stall ended`,
      );
      const latency = timing.doneAt - timing.dueAt;
      assert.ok(
        latency >= answeredAt - timing.dueAt && latency <= answeredAt - timing.dueAt + 100,
        `request ${index}: ${latency.toFixed(0)} ms, answered ${(answeredAt - timing.dueAt).toFixed(0)} ms after it was due`,
      );
    }
    const first = inStall.sort((a, b) => a.timing.dueAt - b.timing.dueAt)[0]!;
    assert.ok(first.timing.doneAt - first.timing.dueAt > 950, "the first request of the stall waited about 1 s");
  });

  it("shows the stall in the percentiles: at least half the requests of the stall took over 0.5 s", () => {
    // 100 of 300 requests are due in the stall; half of those wait more than 0.5 s: ~1/6 of all.
    const overHalfSecond = timings.filter(({ timing }) => timing.doneAt - timing.dueAt > 500).length;
    assert.ok(overHalfSecond >= 45, `${overHalfSecond} requests over 0.5 s`);
    assert.ok(histogram.percentileMs(99) > 900, `p99 ${histogram.percentileMs(99)} ms`);
    assert.ok(histogram.percentileMs(50) < 500, `p50 ${histogram.percentileMs(50)} ms`);
  });
});
