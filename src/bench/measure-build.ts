import { randomBytes } from "node:crypto";
import type { CouchClient } from "../couch/couch-client.js";
import { queryServer } from "../couch/query-servers.js";
import { renderDesignDoc, type DesignDocTemplate, type RenderedDesignDoc } from "./design-docs.js";
import { listShardCopies, placeDesignDocOnEveryCopy } from "../couch/shard-copies.js";
import { differenceBetweenCopies, waitForEveryCopy } from "./every-copy.js";
import { timeIndexBuild, timeQuery, type BuildProgress } from "./index-build.js";
import { relevantStats, statsDelta } from "./query-server-stats.js";
import type { BuildMetrics, CompactionMetrics } from "../results/results-format.js";
import { compactAndMeasure, indexSizes } from "./cost/compaction.js";
import { meterBuild, type CostMeters } from "./cost/cost-sampler.js";
import { readViewOutput, type ViewOutput } from "./view-output.js";

export interface BuildRequest {
  client: CouchClient;
  db: string;
  template: DesignDocTemplate;
  server: string;
  /** Unique per build: with the server name it makes the index signature new. */
  buildId: string;
  docCount: number;
  docBytes: number;
  verify: boolean;
  /** A cluster: also time until every shard copy's index is built, and compare the copies. */
  cluster?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  /** What the target lets couchbench measure besides time, sampled during the build (bench/cost/). */
  meters?: CostMeters;
  /** `--compact`: compact the views after the build and its checks, and measure that. */
  compact?: boolean;
}

export interface BuildOutcome {
  designDocId: string;
  language: string;
  build: BuildMetrics;
  reduceMs?: number;
  compaction?: CompactionMetrics;
  output?: ViewOutput;
  /** Clusters, when verifying: the first difference between two copies of one shard range. */
  copyDifference?: string;
  queryServerStats: Record<string, number>;
}

/**
 * The index of a build measured before the run was interrupted, built again (untimed) after
 * `--resume`: the database it lived in is gone, and its incremental update still needs timing.
 */
export async function rebuildIndex(
  request: Pick<BuildRequest, "client" | "db" | "template" | "server" | "buildId">,
): Promise<string> {
  const { ddoc } = await installDesignDoc(request);
  await timeIndexBuild(request.client, request.db, ddoc._id, request.template);
  return ddoc._id;
}

async function installDesignDoc(
  request: Pick<BuildRequest, "client" | "db" | "template" | "server" | "buildId">,
): Promise<{ ddoc: RenderedDesignDoc; language: string }> {
  const language = queryServer(request.server)?.language ?? request.server;
  const ddoc = renderDesignDoc(request.template, language, request.buildId, request.server);
  await request.client.putDocument(request.db, ddoc);
  return { ddoc, language };
}

export function newBuildId(runId: string, repeat: number): string {
  return `${runId}-r${repeat}-${randomBytes(3).toString("hex")}`;
}

/** Installs one server's design doc, builds its index, and reads what the build produced. */
export async function measureBuild(request: BuildRequest): Promise<BuildOutcome> {
  const { client, db, template } = request;
  const spec = queryServer(request.server);
  const { ddoc, language } = await installDesignDoc(request);
  const copies = request.cluster ? await listShardCopies(client, db) : undefined;
  if (copies) await placeDesignDocOnEveryCopy(client, copies, ddoc);
  let everyCopy: Awaited<ReturnType<typeof waitForEveryCopy>> | undefined;
  let allCopiesMs: number | undefined;
  const waitForCopies = copies
    ? async (answeredMs: number) => {
        const answeredAt = performance.now();
        everyCopy = await waitForEveryCopy(client, db, ddoc._id, copies, template);
        allCopiesMs = answeredMs + (performance.now() - answeredAt);
      }
    : undefined;
  const build = () => timeBuilds(client, db, [{ designDocId: ddoc._id, template }], request.onProgress, waitForCopies);
  const metered = request.meters ? await meterBuild(request.meters, db, build) : { result: await build() };
  const { ms, queryServerStats } = metered.result;
  // The index's sizes are part of its cost, not of the build: a failed _info read leaves them out.
  const info = await client.designDocInfo(db, ddoc._id).catch(() => undefined);
  const cost = "cost" in metered ? { ...metered.cost, ...(info ? { index: indexSizes(info) } : {}) } : undefined;
  const reduceView = Object.entries(template.views).find(([, source]) => source.reduce !== undefined)?.[0];
  const reduceMs = reduceView
    ? await timeQuery(() => client.queryView(db, ddoc._id, reduceView, { reduce: true }))
    : undefined;
  const output =
    request.verify && spec?.runsViews !== false ? await readViewOutput(client, db, ddoc._id, template) : undefined;
  const copyDifference =
    output && copies ? await differenceBetweenCopies(client, copies, ddoc._id, template) : undefined;
  const compaction =
    request.compact && request.meters ? await compactAndMeasure(client, db, ddoc._id, request.meters) : undefined;
  return {
    designDocId: ddoc._id,
    language,
    build: {
      ms,
      ...("queryServerCpuMs" in metered ? { queryServerCpuMs: metered.queryServerCpuMs } : {}),
      ...(everyCopy
        ? {
            allCopiesMs,
            copies: everyCopy.copies,
            ...(everyCopy.triggered > 0 ? { copiesTriggered: everyCopy.triggered } : {}),
          }
        : {}),
      docsPerSec: request.docCount / (ms / 1000),
      mbPerSec: request.docBytes / 1e6 / (ms / 1000),
      rowsByView: output?.rowsByView ?? {},
      ...(cost ? { cost } : {}),
      ...("machine" in metered && metered.machine ? { machine: metered.machine } : {}),
    },
    ...(reduceMs !== undefined ? { reduceMs } : {}),
    ...(compaction ? { compaction } : {}),
    ...(output ? { output } : {}),
    ...(copyDifference ? { copyDifference } : {}),
    queryServerStats,
  };
}

export interface InstalledDesignDoc {
  designDocId: string;
  template: DesignDocTemplate;
}

/**
 * Builds installed design docs at the same time (CouchDB runs one indexer per design doc) and
 * times them until the last is done, with CouchDB's query-server counters sampled before and after.
 */
export async function timeBuilds(
  client: CouchClient,
  db: string,
  installed: readonly InstalledDesignDoc[],
  onProgress?: (progress: BuildProgress) => void,
  /** Runs once the view queries answered, before the counters are read again (a cluster's other copies). */
  afterAnswer?: (ms: number) => Promise<void>,
): Promise<{ ms: number; queryServerStats: Record<string, number> }> {
  const statsBefore = relevantStats(await client.nodeStats().catch(() => ({})));
  const times = await Promise.all(
    installed.map(({ designDocId, template }, i) =>
      timeIndexBuild(client, db, designDocId, template, i === 0 ? onProgress : undefined),
    ),
  );
  const ms = Math.max(...times);
  await afterAnswer?.(ms);
  const queryServerStats = statsDelta(statsBefore, relevantStats(await client.nodeStats().catch(() => ({}))));
  return { ms, queryServerStats };
}
