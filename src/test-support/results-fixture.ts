/**
 * Hand-built results files for the report and compare tests: 3 servers × 2 datasets × sizes
 * × 3 repeats × 2 CouchDB versions × q 1/2, with timings shaped like real runs (per-document
 * cost by server, overhead, shard speed-up), a seeded jitter, one errored build and one
 * mismatching index.
 */
import type { Measurement, ResultsFile, TargetInfo } from "../results/results-format.js";
import type { PointKey } from "../report/points.js";
import { mulberry32 } from "../core/random.js";

export interface FixtureOptions {
  runId?: string;
  repeats?: number;
  /** Relative jitter of each repeat, default 0.04 (±4%). */
  jitter?: number;
  seed?: number;
  /** Multiplies the build time of matching points: how tests craft regressions. */
  slowdown?: (point: PointKey) => number;
  hostname?: string;
  cpuModel?: string;
  /** Leave out the errored build and the mismatch. */
  clean?: boolean;
  sizes?: Record<string, number[]>;
  /** Default javascript, quickjs, typescript; `erlang` can be added (CouchDB's floor). */
  servers?: string[];
}

const SERVERS = ["javascript", "quickjs", "typescript"];
const MS_PER_DOC: Record<string, number> = { javascript: 0.42, quickjs: 0.3, typescript: 0.11, erlang: 0.04 };
const DOC_WEIGHT: Record<string, number> = { small: 1, large: 4.5 };
const DOC_BYTES: Record<string, number> = { small: 420, large: 9_800 };

const FIXTURE_TARGETS: TargetInfo[] = [
  {
    id: "docker-3.4.3",
    kind: "docker",
    url: "http://127.0.0.1:32771",
    couchdbVersion: "3.4.3",
    jsEngine: "spidermonkey 91",
    erlangVersion: "26.2.5",
    image: "couchdb:3.4.3",
    imageDigest: "sha256:5f1e0b6d2a4c9e8f7a6b5c4d3e2f1a0b9c8d7e6f",
    cpus: 2,
    memoryBytes: 4 * 2 ** 30,
    availableServers: SERVERS,
  },
  {
    id: "docker-3.5.0",
    kind: "docker",
    url: "http://127.0.0.1:32772",
    couchdbVersion: "3.5.0",
    jsEngine: "spidermonkey 128",
    erlangVersion: "26.2.5",
    image: "couchdb:3.5.0",
    imageDigest: "sha256:0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
    cpus: 2,
    memoryBytes: 4 * 2 ** 30,
    availableServers: SERVERS,
  },
];

export function fixtureResults(options: FixtureOptions = {}): ResultsFile {
  const runId = options.runId ?? "2025-11-27T0400-ci";
  const repeats = options.repeats ?? 3;
  const random = mulberry32(options.seed ?? 7);
  const jitter = options.jitter ?? 0.04;
  const sizes = options.sizes ?? { small: [100, 1_000, 10_000], large: [100, 1_000] };
  const measurements: Measurement[] = [];
  let clock = Date.parse("2025-11-27T04:00:00Z");
  const stamp = (ms: number) => new Date((clock += Math.round(ms) + 50)).toISOString();
  for (const target of FIXTURE_TARGETS) {
    for (const q of [1, 2]) {
      for (const [dataset, counts] of Object.entries(sizes)) {
        for (const docCount of counts) {
          for (let repeat = 1; repeat <= repeats; repeat++) {
            (options.servers ?? SERVERS).forEach((server, index) => {
              const point: PointKey = {
                couchdbVersion: target.couchdbVersion,
                q,
                dataset,
                docCount,
                ids: "",
                designDoc: "",
                server,
              };
              const base =
                35 +
                docCount *
                  MS_PER_DOC[server]! *
                  DOC_WEIGHT[dataset]! *
                  (q === 2 ? 0.62 : 1) *
                  (target.couchdbVersion === "3.5.0" ? 0.9 : 1);
              const ms = base * (options.slowdown?.(point) ?? 1) * (1 + (random() * 2 - 1) * jitter);
              const startedAt = stamp(0);
              const m: Measurement = {
                key: `${target.id}/q${q}/${dataset}/${docCount}/${server}/${repeat}`,
                targetId: target.id,
                couchdbVersion: target.couchdbVersion,
                q,
                dataset,
                docCount,
                server,
                language: server === "javascript" ? "javascript" : server,
                repeat,
                order: index + 1,
                status: "completed",
                startedAt,
                finishedAt: stamp(ms),
                load: {
                  docCount,
                  bytes: docCount * DOC_BYTES[dataset]!,
                  ms: docCount * 0.05,
                  docsPerSec: 20_000,
                  batchSize: 1000,
                  retries: 0,
                },
                build: {
                  ms,
                  docsPerSec: (docCount / ms) * 1000,
                  mbPerSec: (docCount * DOC_BYTES[dataset]!) / 1e6 / (ms / 1000),
                  rowsByView: { count: docCount, by_type: docCount },
                },
                update: {
                  docCount: Math.max(10, docCount / 10),
                  ms: ms / 9 + 12,
                  docsPerSec: (docCount / 10 / (ms / 9 + 12)) * 1000,
                },
                reduce: { ms: 4 + docCount / 4000 + random() },
                correctness:
                  index === 0
                    ? { status: "reference", digest: "9f2c4e1ab7d05e33" }
                    : { status: "match", digest: "9f2c4e1ab7d05e33", comparedWith: "javascript" },
              };
              measurements.push(m);
            });
          }
        }
      }
    }
  }
  if (!options.clean) addProblems(measurements);
  return {
    format: "couchbench-results",
    formatVersion: 1,
    runId,
    status: "completed",
    createdAt: "2025-11-27T04:00:00.000Z",
    updatedAt: new Date(clock).toISOString(),
    plan: {
      profile: "ci",
      targetKind: "docker",
      servers: SERVERS,
      datasets: Object.keys(sizes),
      sizes: [...new Set(Object.values(sizes).flat())],
      maxSizeByDataset: { small: 10_000, large: 1_000 },
      shards: [1, 2],
      repeat: repeats,
      seed: 42,
      identicalDocs: false,
      designDoc: "designdocs/classic.json",
      batchSize: 1000,
      plannedMeasurements: measurements.length,
    },
    environment: {
      couchbenchVersion: "0.1.0",
      nodeVersion: "20.18.1",
      platform: "linux",
      arch: "x64",
      cpuModel: options.cpuModel ?? "AMD EPYC 7763 64-Core Processor",
      cpuCores: 4,
      memoryBytes: 16 * 2 ** 30,
      hostname: options.hostname ?? "fv-az1234-567",
      commandLine: "couchbench run --profile ci --out results/ci --run-id ci",
    },
    targets: FIXTURE_TARGETS,
    measurements,
    notes: [{ at: "2025-11-27T04:00:01.000Z", level: "info", message: "pulled couchdb:3.5.0" }],
  };
}

/** One errored TypeScript build and one QuickJS index that differs from couchjs's. */
function addProblems(measurements: Measurement[]): void {
  const errored = measurements.find((m) => m.key === "docker-3.5.0/q2/large/1000/typescript/2");
  if (errored) {
    errored.status = "errored";
    errored.error = "query server crashed: os_process_error {exit_status,1}";
    delete errored.build;
    delete errored.update;
    delete errored.reduce;
    errored.correctness = { status: "unchecked" };
  }
  const mismatch = measurements.find((m) => m.key === "docker-3.4.3/q1/small/1000/quickjs/1");
  if (mismatch) {
    mismatch.correctness = {
      status: "mismatch",
      digest: "51be07c3aa0e9d12",
      comparedWith: "javascript",
      detail: 'view by_type row 17: key ["post",3] vs ["post",3.0]',
    };
  }
}
