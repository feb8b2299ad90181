/**
 * The `couchbench ingest` results file, format version 2: `<out>/<run-id>/ingest.json`.
 *
 * A public, versioned format in the style of results-format.ts: add optional fields freely;
 * renaming, removing or changing the meaning of a field needs a new `formatVersion`. The JSON
 * Schema is `ingest.schema.json` beside this file; the README documents it.
 *
 * Conventions: durations in milliseconds (`…Ms`), rates in documents per second, timestamps ISO
 * 8601 UTC, URLs without credentials. Latencies are counted from the time a request was due on
 * the schedule, not from when it left (no coordinated omission).
 */
import type { ConfigSetting, HostEnvironment, PlanConfig, RunNote, TargetInfo } from "./results-format.js";

export const INGEST_FORMAT = "couchbench-ingest";
/**
 * 2: `--config` made a series a server under a combination of settings, so a target can hold several knees (and steps
 * at one rate) per server, told apart by `config`. A version 1 file is a version 2 file without `config`: readers of
 * version 2 read both (INGEST_OLDER_VERSIONS_READ).
 */
export const INGEST_FORMAT_VERSION = 2;
export const INGEST_OLDER_VERSIONS_READ: readonly number[] = [1];

export type Freshness = "background" | "reader";

export interface IngestResults {
  format: typeof INGEST_FORMAT;
  /** 2 when written; 1 in files written before `--config` (read the same way). */
  formatVersion: 1 | typeof INGEST_FORMAT_VERSION;
  runId: string;
  /** `running` while steps are measured (or when the process was killed), then how it ended. */
  status: "running" | "completed" | "interrupted" | "failed";
  createdAt: string;
  updatedAt: string;
  plan: IngestPlan;
  environment: HostEnvironment;
  targets: IngestTarget[];
  /** Every measured step, in the order measured. */
  steps: IngestStep[];
  /** Per target and series (server, and with `--config` the combination), from the steps (recomputed after every step). */
  knees: IngestKnee[];
  notes: RunNote[];
}

export interface IngestPlan {
  servers: string[];
  /** Rates given with `--rates`, docs/s; `--find-max` adds its own steps. */
  rates: number[];
  findMax: boolean;
  /** `single` or `bulk:<n>`. */
  write: string;
  freshness: Freshness;
  /** Reader mode: concurrent readers, each at `readRatePerReader` reads/s (open model too). */
  readers?: number;
  readRatePerReader?: number;
  durationMs: number;
  warmupMs: number;
  /** Longest wait after the writes stop for every sentinel to become visible. */
  drainTimeoutMs: number;
  /** Reader mode: the p95 of lag (and of read latency) a sustained step stays under. */
  maxLagMs: number;
  sentinelIntervalMs: number;
  probeIntervalMs: number;
  /** Most write requests in flight; beyond it the schedule waits (and its latency shows it). */
  maxInFlight: number;
  /** Documents loaded and indexed before each step's writes. */
  preload: number;
  designDoc: string;
  dataset: string;
  ids: string;
  q: number;
  n?: number;
  seed: number;
  /**
   * `--config`: the combinations of settings compared. Each server under each combination is a series with its own
   * rate sweep (and `--find-max`); from rate to rate the combinations rotate (outermost, so a setting changes as seldom
   * as the rotation allows) and the servers within each.
   */
  config?: PlanConfig;
}

/** `[ken]` and `[view_updater]` as `_config` reported them, by section (unset keys use CouchDB's defaults). */
export type FreshnessConfig = Record<string, Record<string, string>>;

export interface IngestTarget extends TargetInfo {
  /** `[ken]` and `[view_updater]` as this CouchDB's `_config` reported them before any `--config` change. */
  freshnessConfig: FreshnessConfig;
  /**
   * `--config`: per combination measured on this target, the `[ken]` and `[view_updater]` sections read back once it
   * was set (the settings in force for every series under it), in the order first set.
   */
  configured?: Array<{ config: ConfigSetting[]; freshnessConfig: FreshnessConfig }>;
}

export interface Latencies {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** The HdrHistogram (microseconds) as hdr-histogram-js compressed base64: merge or re-read it. */
  histogram: string;
}

export interface TrendResult {
  /** Theil–Sen slope over the step, ms per s, with Sen's 95% interval. */
  slopeMsPerS: number;
  lowMsPerS: number;
  highMsPerS: number;
  confidence: number;
  points: number;
  confidentRiseMs: number;
  growing: boolean;
}

export interface IngestStep {
  /**
   * `<target>/<server>/<rate>`, with `--config` `<target>/<server>/<section>/<key>=<value>;…/<rate>`: unique in a run;
   * `--resume` skips keys already measured.
   */
  key: string;
  targetId: string;
  server: string;
  /** `--config`: the combination this step ran under, in `plan.config` order (`value: null`: the server's default). */
  config?: ConfigSetting[];
  /** Offered rate, docs/s. */
  rate: number;
  /** 1-based position among the series measured at this rate (the order rotates from rate to rate). */
  order: number;
  /** `--find-max` chose this rate (it was not in `--rates`). */
  searched: boolean;
  /** `sustained`/`unsustained` by the knee rules of the mode; `errored` when the step could not run. */
  outcome: "sustained" | "unsustained" | "errored";
  /** Why a step was not sustained, one line each ("offered 800/s, achieved 610/s"). */
  reasons: string[];
  error?: string;
  startedAt: string;
  /** Scratch database of the step (deleted after it). */
  database?: string;
  offeredRate?: number;
  /** Documents due in the measured window ÷ the time until the last was acknowledged (at least the window). */
  achievedRate?: number;
  docsWritten?: number;
  writeRequests?: number;
  writeErrors?: number;
  /** Write latency from the due time to the acknowledgement. */
  writeLatency?: Latencies;
  /** How late couchbench itself sent requests (event loop and in-flight limit): a writer limit, not CouchDB's. */
  sendDelay?: Latencies;
  /** Write acknowledgement → first seen by the sentinel prober. */
  lag?: Latencies;
  /** Sentinels written in the measured window, and how many were never seen before the drain timeout. */
  sentinels?: number;
  unseenSentinels?: number;
  /** Largest (and typical) gap between the probe before a sentinel was seen and the probe that saw it. */
  lagResolutionMs?: { maxMs: number; p50Ms: number };
  /** [seconds since the measured window started (at the ack), lag ms] per sentinel. */
  lagSeries?: Array<[number, number]>;
  lagTrend?: TrendResult;
  /** Reader mode: `update=true` reads, latency from the due time. */
  readLatency?: Latencies;
  readErrors?: number;
  /** [seconds since the measured window started, read latency ms], thinned. */
  readSeries?: Array<[number, number]>;
  readTrend?: TrendResult;
  /** Last write acknowledgement → every sentinel visible; absent when it did not drain in time. */
  drainMs?: number;
}

export interface IngestKnee {
  targetId: string;
  server: string;
  /** `--config`: the combination of the series (with `targetId` and `server`, what `compare` matches on). */
  config?: ConfigSetting[];
  status: "bracketed" | "above" | "below" | "none";
  sustainableRate?: number;
  firstUnsustainedRate?: number;
  /** Sustained rates above the first unsustained one (a noisy machine). */
  nonMonotonic: number[];
  /** Lag p95 at the sustainable rate. */
  lagP95Ms?: number;
}
