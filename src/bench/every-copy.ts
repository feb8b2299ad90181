/**
 * The second build time of a cluster: until the index of every copy of every shard range, on
 * every node, is built — not only the copy per range that answered the view query first.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { CouchClient, ShardCopy } from "../couch/couch-client.js";
import { copyIndexState, isCaughtUp, type CopyIndexState } from "../couch/shard-copies.js";
import { triggerQuery, type DesignDocTemplate } from "./design-docs.js";

const POLL_INTERVAL_MS = 100;
/** A copy behind with no indexer running for this long was never started: it is asked to build. */
const UNSTARTED_MS = 1_000;
/** A copy still behind this long after it was asked is not being built: say so instead of waiting forever. */
const STALL_LIMIT_MS = 30_000;

/**
 * Polls until every copy's index is complete, and returns how many copies there are. Complete
 * means both: `_active_tasks` (which lists the indexers of every node) has no indexer left for
 * this design doc on this database, and every copy's index `update_seq`, read on its own node,
 * has reached that copy's database `update_seq` with no updater running. The first alone
 * would pass between two batches or before a copy's updater registered; the second alone
 * cannot see an updater that is mid-way.
 *
 * The triggering query reaches every copy, but the coordinator cancels the workers of the
 * copies that did not answer first, and one cancelled before it reached its copy leaves that
 * copy unbuilt (seen on a loaded machine). With `autoupdate` on, CouchDB's background indexer
 * would build it later; here such a copy — behind, with no indexer, for a second — is asked
 * with a view query on its own node, and counted in `triggered`.
 */
export async function waitForEveryCopy(
  client: CouchClient,
  db: string,
  designDocId: string,
  copies: readonly ShardCopy[],
  template: DesignDocTemplate,
): Promise<{ copies: number; triggered: number }> {
  const { view, query } = triggerQuery(template);
  const triggered = new Set<ShardCopy>();
  let idleSince: number | undefined;
  for (;;) {
    const indexing = (await client.activeTasks()).some(
      (task) => task.type === "indexer" && task.design_document === designDocId && shardDb(task.database) === db,
    );
    if (!indexing) {
      const states = await Promise.all(copies.map((copy) => copyIndexState(client, copy, designDocId)));
      const behind = states.filter((state) => !isCaughtUp(state));
      if (behind.length === 0) return { copies: copies.length, triggered: triggered.size };
      idleSince ??= Date.now();
      const idleMs = Date.now() - idleSince;
      if (idleMs > UNSTARTED_MS) {
        for (const { copy } of behind.filter((state) => !triggered.has(state.copy))) {
          triggered.add(copy);
          idleSince = Date.now();
          // Not awaited: the copy's own indexer task and update_seq say when it is done.
          void client
            .copyRequest(copy, `${designDocId}/_view/${encodeURIComponent(view)}`, query)
            .catch(() => undefined);
        }
      }
      if (idleMs > STALL_LIMIT_MS)
        throw new Error(
          `index of ${describeCopies(behind)} is behind with no indexer running (${STALL_LIMIT_MS / 1000} s)`,
        );
    } else {
      idleSince = undefined;
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * Compares every copy's complete row output per view: copies of one range hold the same
 * documents, so their indexes must be byte-identical. Returns the first difference, or undefined.
 */
export async function differenceBetweenCopies(
  client: CouchClient,
  copies: readonly ShardCopy[],
  designDocId: string,
  template: DesignDocTemplate,
): Promise<string | undefined> {
  for (const [view, source] of Object.entries(template.views).sort(([a], [b]) => a.localeCompare(b))) {
    // update=false: the check reads what the build left, it never builds anything itself.
    const query = { update: "false" as const, ...(source.reduce !== undefined ? { reduce: false } : {}) };
    const firstOfRange = new Map<string, { copy: ShardCopy; digest: string }>();
    for (const copy of copies) {
      const digest = await client.copyViewDigest(copy, designDocId, view, query);
      const first = firstOfRange.get(copy.range);
      if (!first) firstOfRange.set(copy.range, { copy, digest });
      else if (first.digest !== digest)
        return `view ${view}: the copies of range ${copy.range} on ${first.copy.node} and ${copy.node} differ`;
    }
  }
  return undefined;
}

/** `shards/<range>/<db>.<suffix>` → `<db>` (the suffix is the shard files' creation time). */
function shardDb(database: string | undefined): string | undefined {
  return database?.split("/")[2]?.replace(/\.\d+$/, "");
}

function describeCopies(states: readonly CopyIndexState[]): string {
  return states
    .map(({ copy, indexSeq, shardSeq }) => `${copy.range} on ${copy.node} (at ${indexSeq} of ${shardSeq})`)
    .join(", ");
}
