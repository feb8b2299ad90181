import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import { FailureError } from "../core/errors.js";
import { type CouchClient, CouchHttpError } from "../couch/couch-client.js";
import type { Dataset } from "./datasets/index.js";
import type { LoadMetrics } from "../results/results-format.js";

export interface LoadOptions {
  batchSize: number;
  concurrency: number;
  /** Caps a batch's JSON size: large documents would make 100 MB requests. */
  maxBatchBytes?: number;
  maxAttempts?: number;
  onProgress?: (docsDone: number, docsTotal: number) => void;
}

const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_ATTEMPTS = 6;

/** A slice of the dataset, serialised once: `{"docs":[...]}`. */
interface Batch {
  body: string;
  docCount: number;
}

/**
 * Loads documents [from, to) of the dataset with `_bulk_docs`, batches in flight bounded by
 * p-limit; a batch that meets a 5xx or a dropped connection is retried with backoff, unless the
 * client's signal has fired: an interrupt is not a dropped connection.
 */
export async function loadDocuments(
  client: CouchClient,
  db: string,
  dataset: Dataset,
  from: number,
  to: number,
  options: LoadOptions,
): Promise<LoadMetrics> {
  const limit = pLimit(options.concurrency);
  let bytes = 0;
  let retries = 0;
  let docsDone = 0;
  const started = performance.now();
  // Batches are generated only a little ahead of the requests: a large dataset never sits in memory whole.
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (const batch of batches(dataset, from, to, options.batchSize, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES)) {
    bytes += Buffer.byteLength(batch.body);
    const task = limit(async () => {
      retries += await sendBatch(client, db, batch, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
      docsDone += batch.docCount;
      options.onProgress?.(docsDone, to - from);
    })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    while (inFlight.size > options.concurrency * 2 && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined) break;
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  const ms = performance.now() - started;
  const docCount = to - from;
  return { docCount, bytes, ms, docsPerSec: docCount / (ms / 1000), batchSize: options.batchSize, retries };
}

function* batches(
  dataset: Dataset,
  from: number,
  to: number,
  batchSize: number,
  maxBatchBytes: number,
): Generator<Batch> {
  let docs: string[] = [];
  let size = 0;
  for (let index = from; index < to; index++) {
    const json = JSON.stringify(dataset.docAt(index));
    if (docs.length > 0 && (docs.length >= batchSize || size + json.length > maxBatchBytes)) {
      yield { body: `{"docs":[${docs.join(",")}]}`, docCount: docs.length };
      docs = [];
      size = 0;
    }
    docs.push(json);
    size += json.length + 1;
  }
  if (docs.length > 0) yield { body: `{"docs":[${docs.join(",")}]}`, docCount: docs.length };
}

/** Returns the number of retries it took. Conflicts on a retry mean an earlier attempt landed. */
async function sendBatch(client: CouchClient, db: string, batch: Batch, maxAttempts: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await client.bulkDocs(db, batch.body);
      const failed = results.filter((result) => result.error && !(attempt > 1 && result.error === "conflict"));
      if (failed.length > 0) {
        throw new Error(
          `_bulk_docs rejected ${failed.length} documents (first: ${failed[0]!.id}: ${failed[0]!.error} ${failed[0]!.reason ?? ""})`,
        );
      }
      return attempt - 1;
    } catch (error) {
      client.signal?.throwIfAborted();
      const retriable = !(error instanceof CouchHttpError) || error.statusCode >= 500;
      if (
        !retriable ||
        attempt >= maxAttempts ||
        (error instanceof Error && error.message.startsWith("_bulk_docs rejected"))
      )
        throw error;
      await sleep(200 * 2 ** (attempt - 1), undefined, { signal: client.signal }).catch(() =>
        client.signal!.throwIfAborted(),
      );
    }
  }
}

/** How long a cluster may take until every shard copy reports the documents `_bulk_docs` acknowledged. */
const STORED_TIMEOUT_MS = 10_000;
const STORED_POLL_MS = 100;

/**
 * Waits until the database reports `expected` documents. A single node does at once; in a
 * cluster `_bulk_docs` answers once a quorum of copies wrote (w = 2 of n = 3), and `GET /db`
 * may read a copy that has not yet, so its count lags for a moment. A count still short after
 * STORED_TIMEOUT_MS is a failure, not a lost connection.
 */
export async function waitUntilStored(
  client: CouchClient,
  db: string,
  expected: number,
  timeoutMs = STORED_TIMEOUT_MS,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stored = await client.documentCount(db);
    if (stored === expected) return;
    if (stored > expected || performance.now() >= deadline) {
      throw new FailureError(`database ${db} holds ${stored} documents after loading ${expected}`);
    }
    await sleep(STORED_POLL_MS, undefined, client.signal ? { signal: client.signal } : undefined);
  }
}
