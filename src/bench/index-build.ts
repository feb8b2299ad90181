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
  let exits = 0;
  try {
    for (;;) {
      try {
        await client.queryView(db, designDocId, view, query);
        return performance.now() - started;
      } catch (error) {
        // A query server that died mid-build fails the waiting query, but CouchDB's next query resumes the build from
        // its last checkpoint, as a reader's would: the build goes on, its time includes the restart, and the build's
        // cost shows the exit (build.cost.queryServerProcesses). One that dies every time fails the build.
        if (isQueryServerExit(error) && ++exits <= MAX_QUERY_SERVER_EXITS) continue;
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

/** How many times a build's query server may die before the build is failed. */
const MAX_QUERY_SERVER_EXITS = 3;

/** CouchDB's answer when the query-server process serving the build exits (a crash, a kill, a timeout's kill). */
function isQueryServerExit(error: unknown): boolean {
  return (
    error instanceof CouchHttpError &&
    error.statusCode === 500 &&
    (error.error === "os_process_error" || error.error === "epipe" || /exit_status/.test(error.reason))
  );
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
