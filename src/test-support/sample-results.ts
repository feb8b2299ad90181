import { DEFAULT_DESIGN_DOC } from "../bench/design-docs.js";
import { hostEnvironment } from "../bench/environment.js";
import { summarisePlan, type RunConfig } from "../bench/plan.js";
import { DEFAULT_PROFILE, RUN_PROFILES } from "../bench/profiles.js";
import { DEFAULT_REPEAT_POLICY } from "../bench/repeat-policy.js";
import type { HostEnvironment, Measurement, PlanSummary } from "../results/results-format.js";

/** A plausible completed measurement, for tests of what stores and reads results. */
export function sampleMeasurement(key: string): Measurement {
  return {
    key,
    targetId: "url",
    couchdbVersion: "3.4.3",
    q: 1,
    dataset: "medium",
    docCount: 10,
    server: "typescript",
    language: "typescript",
    repeat: 1,
    order: 1,
    status: "completed",
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    load: { docCount: 10, bytes: 13630, ms: 12, docsPerSec: 833, batchSize: 1000, retries: 0 },
    build: { ms: 40, docsPerSec: 250, mbPerSec: 0.34, rowsByView: { byType: 10, count: 10 } },
    correctness: { status: "reference", digest: "ab" },
  };
}

/** A run configuration as `couchbench run --profile <profile>` resolves it against a url target. */
export function sampleRunConfig(profile = DEFAULT_PROFILE, overrides: Partial<RunConfig> = {}): RunConfig {
  const defaults = RUN_PROFILES[profile]!;
  return {
    profile,
    targetKind: "url",
    url: "http://admin:secret@127.0.0.1:5984",
    couchdbVersions: [],
    couchdbBins: [],
    queryServers: [],
    servers: ["javascript", "quickjs", "typescript"],
    datasets: defaults.datasets,
    sizes: defaults.sizes,
    maxSizeByDataset: defaults.maxSizeByDataset,
    shards: defaults.shards,
    ...(defaults.repeat === "auto"
      ? {
          repeat: DEFAULT_REPEAT_POLICY.maxRepeats,
          repeatPolicy: { ...DEFAULT_REPEAT_POLICY, reference: "javascript" },
        }
      : { repeat: defaults.repeat }),
    seed: 1,
    identical: false,
    designDoc: DEFAULT_DESIGN_DOC,
    designDocs: [DEFAULT_DESIGN_DOC],
    ids: ["sequential"],
    datasetLocations: {},
    batchSize: 1000,
    loadConcurrency: 4,
    updateFraction: 0.1,
    verify: true,
    outDir: "results",
    runId: "t",
    resume: false,
    nodes: 1,
    ...overrides,
  };
}

/** What `ResultsStore.create` needs for a run of `sampleRunConfig()`. */
export function sampleRunHeader(
  runId: string,
  argv: readonly string[] = ["node", "couchbench", "run"],
): { runId: string; plan: PlanSummary; environment: HostEnvironment } {
  return {
    runId,
    plan: summarisePlan(sampleRunConfig(DEFAULT_PROFILE, { runId }), 1),
    environment: hostEnvironment(argv),
  };
}
