import { setTimeout as sleep } from "node:timers/promises";
import { type CouchClient, CouchHttpError, describeNetworkError, type ActiveTask } from "../couch/couch-client.js";
import { triggerQuery, type DesignDocTemplate } from "./design-docs.js";

export interface BuildProgress {
  changesDone: number;
  totalChanges: number;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Triggers the build (or incremental update) of a design doc's index with a view query and
 * times it until the query returns: CouchDB answers only once the index is up to date. A query that gives up before
 * the indexer is done (a proxy or fabric timeout) is repeated; the clock keeps running.
 */
export async function timeIndexBuild(
  client: CouchClient,
  db: string,
  designDocId: string,
  template: DesignDocTemplate,
  onProgress?: (progress: BuildProgress) => void,
): Promise<number> {
  const { view, query } = triggerQuery(template);
  const started = performance.now();
  const watcher = onProgress ? watchIndexer(client, db, designDocId, onProgress) : undefined;
  try {
    for (;;) {
      try {
        await client.queryView(db, designDocId, view, query);
        return performance.now() - started;
      } catch (error) {
        if (!isTimeout(error)) throw error;
      }
    }
  } finally {
    watcher?.stop();
  }
}

/** Times a query on an index that exists (reduce results, or an incremental update). */
export async function timeQuery(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** CouchDB's own request timeout, or the HTTP client's wait for response headers (5 min). */
function isTimeout(error: unknown): boolean {
  if (error instanceof CouchHttpError)
    return error.statusCode === 504 || /timeout/i.test(`${error.error} ${error.reason}`);
  return /HEADERS_TIMEOUT/.test(describeNetworkError(error));
}

/** Polls `_active_tasks` for this design doc's indexer tasks (one per shard) and sums them. */
function watchIndexer(
  client: CouchClient,
  db: string,
  designDocId: string,
  onProgress: (progress: BuildProgress) => void,
): { stop(): void } {
  let running = true;
  void (async () => {
    while (running) {
      await sleep(PROGRESS_INTERVAL_MS);
      if (!running) break;
      const tasks = await client.activeTasks().catch(() => [] as ActiveTask[]);
      const mine = tasks.filter(
        (task) => task.type === "indexer" && task.design_document === designDocId && (task.database ?? "").includes(db),
      );
      if (mine.length > 0 && running) {
        onProgress({
          changesDone: mine.reduce((sum, task) => sum + (task.changes_done ?? 0), 0),
          totalChanges: mine.reduce((sum, task) => sum + (task.total_changes ?? 0), 0),
        });
      }
    }
  })();
  return { stop: () => (running = false) };
}
