/** A hand-built ingest results file: two servers at three rates, typescript holding where javascript falls behind. */
import { LatencyHistogram } from "../bench/ingest/latency-histogram.js";
import { kneeOf } from "../bench/ingest/ingest-runner.js";
import type { IngestResults, IngestStep, Latencies } from "../results/ingest-format.js";

function latencies(...values: number[]): Latencies {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  return histogram.summary();
}

const flat = {
  slopeMsPerS: 0.5,
  lowMsPerS: -1,
  highMsPerS: 2,
  confidence: 0.95,
  points: 40,
  confidentRiseMs: -10,
  growing: false,
};
const rising = {
  slopeMsPerS: 60,
  lowMsPerS: 40,
  highMsPerS: 80,
  confidence: 0.95,
  points: 40,
  confidentRiseMs: 400,
  growing: true,
};

function step(server: string, rate: number, order: number, lagMs: number, sustained: boolean): IngestStep {
  const series: Array<[number, number]> = Array.from({ length: 40 }, (_, i) => [
    i * 0.25,
    sustained ? lagMs : lagMs * (0.2 + i / 40),
  ]);
  return {
    key: `url/${server}/${rate}`,
    targetId: "url",
    server,
    rate,
    order,
    searched: false,
    outcome: sustained ? "sustained" : "unsustained",
    reasons: sustained ? [] : ["lag grows 60 ms/s over the step", `lag p95 ${lagMs} ms over 1 s`],
    startedAt: "2026-12-04T22:00:00.000Z",
    database: `couchbench-ingest-fixture-${server}-${rate}`,
    offeredRate: rate,
    achievedRate: sustained ? rate * 0.999 : rate * 0.9,
    docsWritten: rate * 10,
    writeRequests: rate / 10,
    writeErrors: 0,
    writeLatency: latencies(5, 8, 12, 40),
    sendDelay: latencies(0.1, 0.2),
    lag: latencies(...series.map(([, ms]) => ms)),
    sentinels: 40,
    unseenSentinels: 0,
    lagResolutionMs: { maxMs: 130, p50Ms: 105 },
    lagSeries: series,
    lagTrend: sustained ? flat : rising,
    readLatency: latencies(3, 5, 9),
    readErrors: 0,
    readSeries: [
      [0, 3],
      [1, 5],
      [2, 9],
    ],
    readTrend: flat,
    drainMs: sustained ? 150 : 1800,
  };
}

export function ingestResultsFixture(): IngestResults {
  const steps = [
    step("javascript", 200, 1, 200, true),
    step("typescript", 200, 2, 150, true),
    step("typescript", 800, 1, 180, true),
    step("javascript", 800, 2, 450, true),
    step("javascript", 3200, 1, 2500, false),
    step("typescript", 3200, 2, 600, true),
  ];
  return {
    format: "couchbench-ingest",
    formatVersion: 1,
    runId: "fixture",
    status: "completed",
    createdAt: "2026-12-04T22:00:00.000Z",
    updatedAt: "2026-12-04T22:05:00.000Z",
    plan: {
      servers: ["javascript", "typescript"],
      rates: [200, 800, 3200],
      findMax: false,
      write: "bulk:100",
      freshness: "reader",
      readers: 1,
      readRatePerReader: 5,
      durationMs: 10_000,
      warmupMs: 3000,
      drainTimeoutMs: 120_000,
      maxLagMs: 1000,
      sentinelIntervalMs: 250,
      probeIntervalMs: 100,
      maxInFlight: 64,
      preload: 0,
      designDoc: "/x/designdocs/classic.json",
      dataset: "medium",
      ids: "sequential",
      q: 1,
      seed: 1,
    },
    environment: {
      couchbenchVersion: "0.1.0",
      nodeVersion: "v20.0.0",
      platform: "linux",
      arch: "x64",
      cpuModel: "test",
      cpuCores: 2,
      memoryBytes: 8 * 1024 ** 3,
      hostname: "test",
      commandLine: "couchbench ingest",
    },
    targets: [
      {
        id: "url",
        kind: "url",
        url: "http://127.0.0.1:5984",
        couchdbVersion: "3.4.3",
        availableServers: ["javascript", "typescript"],
        freshnessConfig: { ken: {}, view_updater: { min_changes: "10" } },
      },
    ],
    steps,
    knees: ["javascript", "typescript"].map((server) => kneeOf(steps, "url", { server })),
    notes: [],
  };
}

/**
 * A version 2 file of `--config ken/batch_channels=20,80`: javascript under each setting at 200 and 800 docs/s,
 * holding 800 under 80 channels but not under 20, and the settings restored afterwards.
 */
export function ingestConfigFixture(): IngestResults {
  const base = ingestResultsFixture();
  const narrow = [{ section: "ken", key: "batch_channels", value: "20" }];
  const wide = [{ section: "ken", key: "batch_channels", value: "80" }];
  const under = (config: typeof narrow, rate: number, order: number, lagMs: number, sustained: boolean) => {
    const measured = step("javascript", rate, order, lagMs, sustained);
    return { ...measured, key: `url/javascript/ken/batch_channels=${config[0]!.value}/${rate}`, config };
  };
  const steps = [
    under(narrow, 200, 1, 200, true),
    under(wide, 200, 2, 180, true),
    under(wide, 800, 1, 300, true),
    under(narrow, 800, 2, 2500, false),
  ];
  return {
    ...base,
    formatVersion: 2,
    runId: "config-fixture",
    plan: {
      ...base.plan,
      servers: ["javascript"],
      rates: [200, 800],
      freshness: "background",
      config: { combinations: [narrow, wide], order: "rotated" },
    },
    targets: [
      {
        ...base.targets[0]!,
        freshnessConfig: { ken: {}, view_updater: {} },
        configured: [
          { config: narrow, freshnessConfig: { ken: { batch_channels: "20" }, view_updater: {} } },
          { config: wide, freshnessConfig: { ken: { batch_channels: "80" }, view_updater: {} } },
        ],
        configRestore: {
          status: "restored",
          previous: [{ node: "_local", section: "ken", key: "batch_channels", value: null }],
          at: "2026-12-04T22:05:00.000Z",
        },
      },
    ],
    steps,
    knees: [narrow, wide].map((config) => kneeOf(steps, "url", { server: "javascript", config })),
  };
}
