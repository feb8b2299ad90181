/**
 * `couchbench ingest` options → a validated configuration. Target, server, design doc, dataset,
 * ids, q and n follow `run`'s rules exactly (run-options.ts validates them); the rest is the
 * writer's schedule and the freshness mode.
 */
import { UsageError } from "../core/errors.js";
import type { RunConfig } from "../bench/plan.js";
import type { IngestSettings } from "../bench/ingest/ingest-runner.js";
import type { WriteMode } from "../bench/ingest/schedule.js";
import type { Freshness } from "../results/ingest-format.js";
import { positiveNumber, wholeNumber, wholeNumbers } from "./option-values.js";
import { resolveRunConfig, type RawRunOptions } from "./run-options.js";

export interface RawIngestOptions extends Pick<
  RawRunOptions,
  | "target"
  | "couchdb"
  | "couchdbBin"
  | "url"
  | "cpus"
  | "memory"
  | "startTimeout"
  | "seed"
  | "batchSize"
  | "concurrency"
  | "servers"
  | "queryServer"
  | "dockerFile"
  | "ddoc"
  | "dataset"
  | "sample"
  | "ids"
  | "q"
  | "n"
  | "nodes"
  | "out"
  | "runId"
  | "resume"
  | "config"
  | "configCombos"
> {
  rates: string;
  write: string;
  freshness: string;
  readers: string;
  readRate: string;
  duration: string;
  warmup: string;
  drainTimeout: string;
  maxLag: string;
  findMax?: boolean;
  maxRate: string;
  sentinelInterval: string;
  probeInterval: string;
  maxInFlight: string;
  preload: string;
  dryRun?: boolean;
}

export interface IngestConfig {
  run: RunConfig;
  settings: IngestSettings;
}

export const INGEST_DEFAULTS = {
  rates: "250,500,1000,2000,4000",
  write: "bulk:100",
  freshness: "reader",
  readers: "1",
  readRate: "5",
  duration: "60",
  warmup: "10",
  drainTimeout: "120",
  maxLag: "1",
  maxRate: "64000",
  sentinelInterval: "250",
  probeInterval: "100",
  maxInFlight: "64",
  preload: "0",
} as const;

export function resolveIngestConfig(raw: RawIngestOptions, now: Date = new Date()): IngestConfig {
  const run = resolveRunConfig(
    {
      ...raw,
      q: raw.q ?? "1",
      dataset: raw.dataset ?? "medium",
      sizes: "1",
    },
    now,
  );
  const one = (flag: string, values: readonly unknown[]) => {
    if (values.length > 1)
      throw new UsageError(`${flag}: ingest measures one value per run — run it once per value, or compare the files`);
  };
  one("--ddoc", run.designDocs);
  one("--dataset", run.datasets);
  one("--ids", run.ids);
  one("--q", run.shards);
  one("--n", run.replicas ?? []);
  const freshness = raw.freshness as Freshness;
  if (freshness !== "background" && freshness !== "reader")
    throw new UsageError(`--freshness ${raw.freshness}: use background (CouchDB's ken) or reader (--readers)`);
  const rates = [...new Set(wholeNumbers("--rates", raw.rates, { example: "100,200,400" }))].sort((a, b) => a - b);
  const durationMs = positiveNumber("--duration", raw.duration) * 1000;
  const settings: IngestSettings = {
    servers: run.servers,
    rates,
    findMax: raw.findMax ?? false,
    searchLimits: { minRate: 1, maxRate: wholeNumber("--max-rate", raw.maxRate, { example: "64000" }) },
    maxLagMs: positiveNumber("--max-lag", raw.maxLag) * 1000,
    write: writeMode(raw.write),
    freshness,
    readers: freshness === "reader" ? wholeNumber("--readers", raw.readers, { example: "2" }) : 0,
    readRatePerReader: positiveNumber("--read-rate", raw.readRate),
    durationMs,
    warmupMs: nonNegativeSeconds("--warmup", raw.warmup),
    drainTimeoutMs: positiveNumber("--drain-timeout", raw.drainTimeout) * 1000,
    sentinelIntervalMs: wholeNumber("--sentinel-interval", raw.sentinelInterval, { example: "250" }),
    probeIntervalMs: wholeNumber("--probe-interval", raw.probeInterval, { example: "100" }),
    maxInFlight: wholeNumber("--max-in-flight", raw.maxInFlight, { example: "64" }),
    preload: wholeNumber("--preload", raw.preload, { min: 0, example: "10000" }),
    q: run.shards[0]!,
    ...(run.replicas?.[0] !== undefined ? { n: run.replicas[0] } : {}),
  };
  if (settings.sentinelIntervalMs * 3 > durationMs)
    throw new UsageError(
      `--sentinel-interval ${settings.sentinelIntervalMs}: fewer than 3 sentinels fit in --duration ${raw.duration} s — lower it or lengthen the step`,
    );
  if (raw.readers !== INGEST_DEFAULTS.readers && freshness !== "reader")
    throw new UsageError(
      "--readers: background mode has no readers (ken keeps the views fresh) — add --freshness reader",
    );
  return { run, settings };
}

/** `single` or `bulk:<n>`. */
export function writeMode(value: string): WriteMode {
  if (value === "single") return { kind: "single" };
  const match = /^bulk:(\d+)$/.exec(value.trim());
  const perRequest = match ? Number(match[1]) : 0;
  if (perRequest < 1)
    throw new UsageError(`--write ${value}: use single (one document per request) or bulk:<n>, e.g. bulk:100`);
  return { kind: "bulk", docsPerRequest: perRequest };
}

function nonNegativeSeconds(flag: string, value: string): number {
  return value.trim() === "0" ? 0 : positiveNumber(flag, value) * 1000;
}
