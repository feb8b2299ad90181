import type { AdvisedVariant, AdviseResults } from "../results/advise-format.js";

/** One hand-built advised variant: builds of the given wall times with a plausible time split. */
export function advisedVariant(
  id: string,
  kind: AdvisedVariant["kind"],
  times: number[],
  changes: Partial<AdvisedVariant> = {},
): AdvisedVariant {
  return {
    id,
    kind,
    title: `${id} variant`,
    server: "javascript",
    q: 2,
    ids: "as-given",
    designDocCount: 1,
    readers: "nothing",
    readerVisible: false,
    builds: times.map((ms, i) => ({
      repeat: i + 1,
      order: 1,
      ms,
      queryServerStats: { "couchdb.query_server.time.map": ms * 400 },
      timeSplit: {
        mapMs: ms * 0.4,
        reduceMs: kind === "reduce-builtin" ? 0 : ms * 0.3,
        resetMs: kind === "reduce-builtin" ? 0 : ms * 0.1,
        restMs: ms * (kind === "reduce-builtin" ? 0.6 : 0.2),
        calls: { map: 1000, reduce: 10, reset: 10 },
        approximate: [],
      },
    })),
    output: { status: kind === "original" ? "reference" : "match" },
    verdict: kind === "original" ? "baseline" : "unclear",
    ...changes,
  };
}

/** A complete advise results file as the runner and adviseReport would write it. */
export function adviseResultsFixture(): AdviseResults {
  const original = advisedVariant("original", "original", [3000, 3100, 2900], {
    indexBytes: 1_700_000,
    readMs: { n: 3, median: 350, min: 340, max: 380 },
  });
  const sum = advisedVariant("reduce-count", "reduce-builtin", [1000, 1100, 950], {
    title: "count: JavaScript reduce → _sum",
    verdict: "faster",
    speedup: { value: 3, low: 2.6, high: 3.3, confidence: 0.95, resampled: true },
  });
  const emitNull = advisedVariant("emit-null", "emit-null", [2800, 2900, 2850], {
    title: "byType: emit(key, doc) → emit(key, null)",
    readers: "query byType with include_docs=true",
    readerVisible: true,
    indexBytes: 280_000,
    readMs: { n: 3, median: 880, min: 850, max: 900 },
    verdict: "unclear",
    speedup: { value: 1.05, low: 0.98, high: 1.1, confidence: 0.95, resampled: true },
  });
  const ids = advisedVariant("ids-sequential", "ids", [3000, 3050, 2950], {
    verdict: "rejected",
    output: { status: "mismatch", detail: "rows differ in count <b>" },
  });
  return {
    format: "couchbench-advise",
    formatVersion: 1,
    runId: "20261201-120000",
    status: "completed",
    createdAt: "2026-12-01T12:00:00.000Z",
    finishedAt: "2026-12-01T12:05:00.000Z",
    plan: {
      designDoc: "designdocs/classic.json",
      designDocId: "_design/classic",
      dataset: "medium",
      docCount: 2000,
      repeat: 3,
      seed: 1,
      originalQ: 2,
      hostCores: 2,
      plannedBuilds: 15,
    },
    environment: {
      couchbenchVersion: "0.1.0",
      nodeVersion: "v20.0.0",
      platform: "linux",
      arch: "x64",
      cpuModel: "test",
      cpuCores: 2,
      memoryBytes: 1e9,
      hostname: "test",
      commandLine: "couchbench advise",
    },
    target: {
      id: "url",
      kind: "url",
      url: "http://127.0.0.1:5984",
      couchdbVersion: "3.4.3",
      jsEngine: "spidermonkey 102",
      availableServers: ["javascript", "quickjs", "typescript"],
    },
    variants: [original, sum, emitNull, ids],
    combined: advisedVariant("combined", "combined", [1000, 1050, 990], {
      verdict: "faster",
      speedup: { value: 2.9, low: 2.5, high: 3.2, confidence: 0.95, resampled: true },
    }),
    advisedDesignDoc: "advised-ddoc.json",
    readerChanges: [{ change: "count: reduce → _sum", readers: "nothing (same results)" }],
    notes: ["q = host cores: the CouchDB host's core count is not known for this target"],
  };
}
