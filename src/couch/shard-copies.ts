/**
 * Every copy of every shard range of a clustered database, and what each copy's index of a
 * design doc holds. A clustered view query reads one copy per range; these calls reach each
 * copy on its own node through `/_node/{node}/{shard}` (the node-local interface).
 */
import { CouchHttpError, type CouchClient, type ShardCopy } from "./couch-client.js";

export async function listShardCopies(client: CouchClient, db: string): Promise<ShardCopy[]> {
  const map = await client.shardMap(db);
  const suffix = String.fromCharCode(...map.shard_suffix);
  return Object.entries(map.by_range)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([range, nodes]) =>
      [...nodes].sort().map((node) => ({ node, range, shard: `shards/${range}/${db}${suffix}` })),
    );
}

/**
 * Makes the design doc readable on every copy, so each copy's index can be asked on its own
 * node. A design doc lives, like any document, in the one shard range its id hashes to; the
 * copies of the other ranges build its index from the cluster's design doc cache and cannot
 * answer for it node-locally. Views never see design documents, so the index is the same
 * work. Written before the build starts, so the copies' sequences include it. The home
 * range's copies answer 409 (they have it already, with the same revision): that is fine.
 */
export async function placeDesignDocOnEveryCopy(
  client: CouchClient,
  copies: readonly ShardCopy[],
  ddoc: { _id: string },
): Promise<void> {
  await Promise.all(
    copies.map((copy) =>
      client.putOnCopy(copy, ddoc).catch((error: unknown) => {
        if (!(error instanceof CouchHttpError && error.statusCode === 409)) throw error;
      }),
    ),
  );
}

/** How far one copy's index is: its `update_seq` against the copy's own database `update_seq`. */
export interface CopyIndexState {
  copy: ShardCopy;
  indexSeq: number;
  shardSeq: number;
  updaterRunning: boolean;
}

export async function copyIndexState(
  client: CouchClient,
  copy: ShardCopy,
  designDocId: string,
): Promise<CopyIndexState> {
  const [shard, index] = await Promise.all([
    client.copyRequest<{ update_seq: number | string }>(copy),
    client.copyRequest<{ view_index: { update_seq: number | string; updater_running?: boolean } }>(
      copy,
      `${designDocId}/_info`,
    ),
  ]);
  return {
    copy,
    indexSeq: localSeq(index.view_index.update_seq),
    shardSeq: localSeq(shard.update_seq),
    updaterRunning: index.view_index.updater_running === true,
  };
}

/** A shard's own sequence is a number; older releases may send it as a string. */
function localSeq(seq: number | string): number {
  return typeof seq === "number" ? seq : Number.parseInt(seq, 10);
}

export function isCaughtUp(state: CopyIndexState): boolean {
  return !state.updaterRunning && state.indexSeq >= state.shardSeq;
}
