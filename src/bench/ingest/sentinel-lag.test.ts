/**
 * The lag method against a known injected delay: a stand-in CouchDB makes each sentinel
 * visible exactly 400 ms after it accepted the write. A whole step (writer, prober, drain) must
 * measure every sentinel's lag between 400 ms and 400 ms + its stated resolution.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CouchClient } from "../../couch/couch-client.js";
import { openDataset } from "../datasets/index.js";
import { parseTemplate } from "../design-docs.js";
import { HttpEdge } from "./http-edge.js";
import { measureStep } from "./ingest-step.js";
import { startStandInCouch, type StandInCouch } from "./test-support/stand-in-couch.js";

const DELAY_MS = 400;

for (const freshness of ["background", "reader"] as const) {
  describe(`sentinel lag, ${freshness} mode, against a stand-in with a ${DELAY_MS} ms delay`, () => {
    let couch: StandInCouch;
    let step: Awaited<ReturnType<typeof measureStep>>;

    before(async () => {
      couch = await startStandInCouch({ visibleAfterMs: DELAY_MS });
      const edge = new HttpEdge(couch.url, 16);
      const signal = new AbortController().signal;
      step = await measureStep({
        settings: {
          rate: 200,
          write: { kind: "bulk", docsPerRequest: 10 },
          freshness,
          readers: 1,
          readRatePerReader: 5,
          durationMs: 3000,
          warmupMs: 500,
          drainTimeoutMs: 5000,
          sentinelIntervalMs: 100,
          probeIntervalMs: 50,
          maxInFlight: 16,
          preload: 0,
          q: 1,
        },
        client: new CouchClient(couch.url, signal),
        edge,
        db: "lag-test",
        server: "javascript",
        language: "javascript",
        template: parseTemplate({ views: { all: { map: "function (doc) { emit(doc._id, null); }" } } }, "test"),
        dataset: await openDataset("small", { seed: 1, identical: false }),
        buildId: "t",
        signal,
      });
      edge.close();
    });

    after(async () => couch?.close());

    it("measures every sentinel of the window within the stated resolution of the injected delay", () => {
      assert.equal(step.unseenSentinels, 0);
      assert.ok(step.sentinels! >= 25, `${step.sentinels} sentinels in 3 s at one per 100 ms`);
      assert.equal(step.lagSeries!.length, step.sentinels);
      const resolution = step.lagResolutionMs!.maxMs;
      assert.ok(resolution < 200, `resolution ${resolution} ms with a 50 ms poll`);
      for (const [t, lag] of step.lagSeries!)
        assert.ok(lag >= DELAY_MS - 10 && lag <= DELAY_MS + resolution + 10, `sentinel at ${t} s: lag ${lag} ms`);
      assert.ok(
        Math.abs(step.lag!.p50Ms - (DELAY_MS + resolution / 2)) <= resolution / 2 + 10,
        `p50 ${step.lag!.p50Ms}`,
      );
    });

    it("sees a constant delay as bounded, the writer as keeping up, and the backlog drain as the delay", () => {
      assert.equal(step.lagTrend!.growing, false);
      assert.ok(step.achievedRate! >= 190 && step.achievedRate! <= 210, `achieved ${step.achievedRate}`);
      assert.equal(step.writeErrors, 0);
      assert.ok(step.drainMs! >= DELAY_MS - 10 && step.drainMs! <= DELAY_MS + 250, `drain ${step.drainMs}`);
      if (freshness === "reader") assert.ok(step.readLatency!.count >= 10, `${step.readLatency!.count} reads`);
      else assert.equal(step.readLatency, undefined);
    });
  });
}
