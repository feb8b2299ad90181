import { setTimeout as sleep } from "node:timers/promises";
import type { CouchClient, DesignDocInfo } from "../../couch/couch-client.js";
import type { CompactionMetrics, IndexSizes } from "../../results/results-format.js";
import { startSampling, type CostMeters } from "./cost-sampler.js";
import { summariseCost } from "./cost-summary.js";

/** How often `_info` is asked whether the compaction still runs: the resolution of its time. */
const POLL_MS = 100;
/** A compaction never seen running and with no size change is taken as done after this long. */
const UNSEEN_START_MS = 3000;

export function indexSizes(info: DesignDocInfo): IndexSizes {
  const { sizes } = info.view_index;
  return { fileBytes: sizes.file, activeBytes: sizes.active, externalBytes: sizes.external };
}

/**
 * `--compact`: compacts a design doc's views and times it, sampling the index directories for the
 * peak disk. CouchDB starts the compaction of every shard asynchronously, so the request returns
 * before it runs: done is when `_info` says none runs any more, after it was seen running or the
 * file size changed (a small index can compact between two polls).
 */
export async function compactAndMeasure(
  client: CouchClient,
  db: string,
  designDocId: string,
  meters: CostMeters,
): Promise<CompactionMetrics> {
  const before = indexSizes(await client.designDocInfo(db, designDocId));
  const sampling = startSampling({ ...meters, processes: undefined }, db);
  const started = performance.now();
  let after: IndexSizes;
  try {
    after = await compactAndWait(client, db, designDocId, before, started);
  } catch (error) {
    await sampling.stop();
    throw error;
  }
  const ms = performance.now() - started;
  const { cost } = summariseCost(await sampling.stop(), 0);
  return {
    ms,
    ...(cost.peakDiskGrowthBytes !== undefined ? { peakDiskGrowthBytes: cost.peakDiskGrowthBytes } : {}),
    before,
    after,
  };
}

async function compactAndWait(
  client: CouchClient,
  db: string,
  designDocId: string,
  before: IndexSizes,
  started: number,
): Promise<IndexSizes> {
  await client.compactViews(db, designDocId);
  let seenRunning = false;
  for (;;) {
    const info = await client.designDocInfo(db, designDocId);
    const running = info.view_index.compact_running === true;
    seenRunning ||= running;
    const changed = info.view_index.sizes.file !== before.fileBytes;
    if (!running && (seenRunning || changed || performance.now() - started > UNSEEN_START_MS)) return indexSizes(info);
    await sleep(POLL_MS);
  }
}
