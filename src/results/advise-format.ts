/**
 * The `couchbench advise` results file, format version 1: `<out>/advise.json`.
 *
 * A public, versioned format in the style of results-format.ts: add optional fields freely;
 * renaming, removing or changing the meaning of a field needs a new `formatVersion`. The JSON
 * Schema is `advise.schema.json` beside this file; the README documents it.
 *
 * Conventions: durations in milliseconds (`…Ms`), sizes in bytes (`…Bytes`), timestamps ISO
 * 8601 UTC, URLs without credentials. A speed-up is original time / variant time: 2 means the
 * variant builds in half the time.
 */
import type { Spread } from "../core/stats.js";
import type { BuildTimeSplit } from "./build-time-split.js";
import type { ConfigSetting, HostEnvironment, TargetInfo } from "./results-format.js";

export const ADVISE_FORMAT = "couchbench-advise";
export const ADVISE_FORMAT_VERSION = 1;

export interface AdviseResults {
  format: typeof ADVISE_FORMAT;
  formatVersion: typeof ADVISE_FORMAT_VERSION;
  runId: string;
  /** Written once, when every variant was measured: always `completed` in format version 1. */
  status: "completed";
  createdAt: string;
  finishedAt: string;
  plan: AdvisePlan;
  environment: HostEnvironment;
  target: TargetInfo;
  /** Every measured variant, the original first (id `original`), then in the order derived. */
  variants: AdvisedVariant[];
  /**
   * The advised design doc built and checked like a variant; absent when no design-doc change
   * won. Its speed-up is against the original rebuilt beside it (`baselineBuilds`, rotated pairs).
   */
  combined?: AdvisedVariant;
  /** File name of the advised design doc written beside this file (relative to its folder), when one was. */
  advisedDesignDoc?: string;
  /** One line per change in the advised design doc: what it is, and what changes for readers. */
  readerChanges: Array<{ change: string; readers: string }>;
  /** Rewrites looked at and not offered, and why; problems that are not one variant's. */
  notes: string[];
}

export interface AdvisePlan {
  /** Where the design doc came from (a path, a short name or a couchdb: URL without credentials). */
  designDoc: string;
  /** `_id` of the user's design doc. */
  designDocId: string;
  dataset: string;
  docCount: number;
  repeat: number;
  seed: number;
  /** q of the original's database: the CouchDB's default for new databases. */
  originalQ: number;
  /** Cores of the CouchDB host used for the q = cores variant, when known. */
  hostCores?: number;
  plannedBuilds: number;
  /** Query servers tried as variants (`--servers`), when given; absent in files written before this field. */
  servers?: string[];
  /** `--query-server` servers, name and command as given. */
  queryServers?: Array<{ name: string; command: string }>;
}

export interface AdvisedVariant {
  /**
   * Stable id: `original`, `server-quickjs`, `reduce-<view>`, `emit-null`, `split-views`, `q1`, `ids-sequential`,
   * `combined`, `mango-index`.
   */
  id: string;
  kind:
    | "original"
    | "query-server"
    | "reduce-builtin"
    | "emit-null"
    | "split-views"
    | "shards"
    | "ids"
    | "config"
    | "combined"
    /** Views moved to a Mango JSON index (reader-visible: `_find`, no values); `indexBytes` is its size. */
    | "mango-index";
  title: string;
  /** `kind: "config"` (`advise --config`): the CouchDB settings this variant was built under. */
  config?: ConfigSetting[];
  server: string;
  q: number;
  ids: "as-given" | "sequential";
  /** Design docs installed together for one build (several when views are split). */
  designDocCount: number;
  /** What readers of the views must change: `nothing`, or how to query. */
  readers: string;
  /** True when readers must change something (emit-null, split views): reported apart. */
  readerVisible: boolean;
  builds: AdviseBuild[];
  /** Build wall time over the completed builds. */
  buildMs?: Spread;
  /** original / variant build time, with a 95% percentile-bootstrap interval (core/stats ratioInterval, inverted). */
  speedup?: { value: number; low: number; high: number; confidence: number; resampled: boolean };
  /**
   * `detail`: for a mismatch, what differs; for a match, how it was checked when not only against the original
   * (a `_first` / `_last` rewrite: its answers against the built-in's definition on the rows).
   */
  output: { status: "reference" | "match" | "mismatch" | "unchecked"; detail?: string };
  /**
   * `baseline` (the original), `faster` (interval above 1), `slower` (interval below 1),
   * `unclear` (interval contains 1), `rejected` (view output differs), `errored` (a build failed).
   */
  verdict: "baseline" | "faster" | "slower" | "unclear" | "rejected" | "errored";
  /** Active size of the index (sum over its design docs), from `_info` after the first build. */
  indexBytes?: number;
  /**
   * Only for the original and emit-null variants: time to read the views emit-null changes,
   * every row — the original as it is, the emit-null variant with include_docs=true.
   */
  readMs?: Spread;
  error?: string;
  /** Only on `combined`: the original's builds made beside it, which its speed-up is measured against. */
  baselineBuilds?: AdviseBuild[];
}

export interface AdviseBuild {
  repeat: number;
  /** 1-based position in its repeat's (rotated) order. */
  order: number;
  ms: number;
  /** Increase of CouchDB's couchdb.query_server.* and couchdb.mrview.* counters during the build. */
  queryServerStats: Record<string, number>;
  /** The wall time split by those counters; absent when they were not readable. */
  timeSplit?: BuildTimeSplit;
  /**
   * CPU ms during the build of the Erlang VM (beam) and of the query-server processes, from /proc (local and docker
   * targets; absent for a url target): the work each side did, which the critical-path split cannot show.
   */
  cpu?: { beamMs: number; queryServerMs: number };
}
