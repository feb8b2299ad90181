import type { Measurement } from "../bench/results-format.js";

/** A plausible completed measurement, for tests of what stores and reads results. */
export function sampleMeasurement(key: string): Measurement {
  return {
    key, targetId: "url", couchdbVersion: "3.4.3", q: 1, dataset: "medium", docCount: 10, server: "typescript", language: "typescript",
    repeat: 1, order: 1, status: "completed", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
    load: { docCount: 10, bytes: 13630, ms: 12, docsPerSec: 833, batchSize: 1000, retries: 0 },
    build: { ms: 40, docsPerSec: 250, mbPerSec: 0.34, rowsByView: { byType: 10, count: 10 } },
    correctness: { status: "reference", digest: "ab" },
  };
}
