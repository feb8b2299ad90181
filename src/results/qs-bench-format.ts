/**
 * The result of `couchbench qs-bench --json`, format version 1. Other tools may read it: add
 * optional fields freely; renaming, removing or changing the meaning of one needs a new
 * `formatVersion`. Conventions as in results-format.ts: durations in milliseconds (`…Ms`),
 * sizes in bytes (`…Bytes`), rates per second, timestamps ISO 8601 UTC. `null` = could not be
 * measured here (CPU and memory come from Linux's /proc).
 */

import type { HostEnvironment } from "./results-format.js";

export const QS_BENCH_FORMAT = "couchbench-qs-bench";
export const QS_BENCH_FORMAT_VERSION = 1;

export interface QsBenchResult {
  format: typeof QS_BENCH_FORMAT;
  formatVersion: typeof QS_BENCH_FORMAT_VERSION;
  createdAt: string;
  settings: QsBenchSettings;
  environment: HostEnvironment;
  /** In the order given; `relative` compares each with `settings.baseline`. */
  servers: ServerResult[];
}

export interface QsBenchSettings {
  dataset: string;
  datasetDescription: string;
  /** Path of the design doc the views came from. */
  designDoc: string;
  docs: number;
  repeat: number;
  seed: number;
  baseline: string;
  /** CouchDB's B-tree node size used to batch reduce calls (`btree_chunk_size`). */
  btreeChunkBytes: number;
  /** Per-answer timeout, as CouchDB's os_process_timeout. */
  replyTimeoutMs: number;
}

export interface ServerResult {
  name: string;
  command: string;
  /** Medians over the repeats. */
  summary: ServerSummary;
  /** One per repeat, in the order they ran. */
  samples: RunSample[];
}

/** Medians over the repeats of the sample fields of the same names. */
export type ServerSummary = Pick<
  RunSample,
  | "startupMs"
  | "mapMs"
  | "docsPerSecond"
  | "megabytesPerSecond"
  | "latencyP50Ms"
  | "latencyP99Ms"
  | "reduceMs"
  | "cpuMs"
  | "peakMemoryBytes"
> & {
  /** Median map time divided by the baseline's: 1 for the baseline, 2 = twice as slow. */
  relativeMapTime: number;
};

export interface RunSample {
  /** 0-based repeat number. */
  repeat: number;
  /** 0-based place of this server in the repeat's order (the order rotates every repeat). */
  position: number;
  /** Spawn until the answer to the first `reset`. */
  startupMs: number;
  docs: number;
  /** UTF-8 bytes of the documents' JSON as sent in map_doc (with `_id` and `_rev`). */
  docBytes: number;
  /** Sum of the per-document round trips (write map_doc → read its answer). */
  mapMs: number;
  docsPerSecond: number;
  /** Document bytes (1 MB = 10^6 bytes) per second of map time. */
  megabytesPerSecond: number;
  /** Nearest-rank percentiles of the per-document round trip. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Sum of the reduce and rereduce round trips, each with the reset before it. */
  reduceMs: number;
  reduceCalls: number;
  rereduceCalls: number;
  /** User + system CPU of the server's process tree over the whole run (start-up included). */
  cpuMs: number | null;
  /** Peak resident memory (VmHWM) of the server's process tree. */
  peakMemoryBytes: number | null;
}
