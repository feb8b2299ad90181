import { resolve } from "node:path";
import { QUERY_SERVERS, DEFAULT_SERVERS } from "../couch/query-servers.js";
import { DEFAULT_DESIGN_DOC } from "../bench/design-docs.js";
import type { RunConfig } from "../bench/plan.js";
import { DEFAULT_PROFILE, RUN_PROFILES } from "../bench/profiles.js";
import type { TargetKind } from "../results/results-format.js";
import { UsageError } from "../core/errors.js";
import { byteSize, fraction, list, positiveNumber, wholeNumber, wholeNumbers } from "./option-values.js";

/** `couchbench run` options as commander hands them over (strings, before validation). */
export interface RawRunOptions {
  target?: string;
  couchdb?: string;
  couchdbBin?: string[];
  url?: string;
  servers?: string;
  dataset?: string;
  sizes?: string;
  q?: string;
  n?: string;
  nodes?: string;
  repeat?: string;
  profile?: string;
  ddoc?: string;
  seed?: string;
  identical?: boolean;
  batchSize?: string;
  concurrency?: string;
  update?: string;
  verify?: boolean;
  cpus?: string;
  memory?: string;
  out?: string;
  runId?: string;
  resume?: string;
  startTimeout?: string;
}

export const DEFAULT_COUCHDB_VERSION = "3.5.2";
const TARGET_KINDS: readonly TargetKind[] = ["docker", "local", "url"];

/** Profile defaults, then explicit options, then the rules between options: one place. */
export function resolveRunConfig(raw: RawRunOptions, now: Date = new Date()): RunConfig {
  const profileName = raw.profile ?? DEFAULT_PROFILE;
  const profile = RUN_PROFILES[profileName];
  if (!profile) throw new UsageError(`--profile ${profileName}: unknown profile — use one of ${Object.keys(RUN_PROFILES).join(", ")}`);
  const targetKind = resolveTargetKind(raw);
  const servers = raw.servers ? list("--servers", raw.servers) : [...DEFAULT_SERVERS];
  for (const server of servers) {
    if (!QUERY_SERVERS.some((known) => known.name === server)) {
      throw new UsageError(`--servers: unknown query server '${server}' — use any of ${QUERY_SERVERS.map((known) => known.name).join(", ")}`);
    }
  }
  const config: RunConfig = {
    profile: profileName,
    targetKind,
    couchdbVersions: raw.couchdb ? list("--couchdb", raw.couchdb) : [DEFAULT_COUCHDB_VERSION],
    couchdbBins: (raw.couchdbBin ?? []).map((bin) => resolve(bin)),
    ...(raw.url ? { url: validUrl(raw.url) } : {}),
    servers: [...new Set(servers)],
    datasets: raw.dataset ? list("--dataset", raw.dataset) : profile.datasets,
    sizes: raw.sizes ? wholeNumbers("--sizes", raw.sizes, { example: "10,100,1000" }) : profile.sizes,
    maxSizeByDataset: raw.sizes ? {} : profile.maxSizeByDataset,
    shards: raw.q ? wholeNumbers("--q", raw.q, { example: "1,2" }) : profile.shards,
    repeat: raw.repeat ? wholeNumber("--repeat", raw.repeat) : profile.repeat,
    seed: raw.seed ? wholeNumber("--seed", raw.seed, { min: 0, example: "1" }) : 1,
    identical: raw.identical ?? false,
    designDoc: raw.ddoc ? resolve(raw.ddoc) : DEFAULT_DESIGN_DOC,
    batchSize: raw.batchSize ? wholeNumber("--batch-size", raw.batchSize, { example: "1000" }) : 1000,
    loadConcurrency: raw.concurrency ? wholeNumber("--concurrency", raw.concurrency, { example: "4" }) : 4,
    updateFraction: raw.update ? fraction("--update", raw.update) : 0.1,
    verify: raw.verify ?? true,
    outDir: resolve(raw.out ?? "results"),
    runId: raw.resume ?? raw.runId ?? defaultRunId(now),
    resume: raw.resume !== undefined,
    ...(raw.cpus ? { cpus: positiveNumber("--cpus", raw.cpus) } : {}),
    ...(raw.memory ? { memoryBytes: byteSize("--memory", raw.memory) } : {}),
    ...(raw.startTimeout ? { startTimeoutMs: positiveNumber("--start-timeout", raw.startTimeout) * 1000 } : {}),
    nodes: raw.nodes ? wholeNumber("--nodes", raw.nodes, { example: "3" }) : 1,
    ...(raw.n ? { replicas: wholeNumbers("--n", raw.n, { example: "1,3" }) } : {}),
  };
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(config.runId)) {
    throw new UsageError(`--run-id ${config.runId}: use lower-case letters, digits, - and _ (it names a folder and CouchDB databases)`);
  }
  if (targetKind === "local" && config.couchdbBins.length === 0) {
    throw new UsageError("--target local needs --couchdb-bin <release>/bin/couchdb (repeat it to compare several releases)");
  }
  if (targetKind === "url" && !config.url) {
    throw new UsageError("--target url needs --url http://user:password@host:5984");
  }
  if (targetKind !== "docker" && (config.cpus !== undefined || config.memoryBytes !== undefined)) {
    throw new UsageError("--cpus and --memory limit the Docker container; they need --target docker");
  }
  assertClusterOptions(config);
  return config;
}

/** `--nodes` starts a cluster, so it needs a target couchbench starts; `--n` cannot exceed it. */
function assertClusterOptions(config: RunConfig): void {
  if (config.nodes > 1 && config.targetKind === "url") {
    throw new UsageError(`--nodes ${config.nodes}: couchbench starts clusters only for --target local or docker — a --url cluster is used (and recorded) as it is`);
  }
  const tooMany = config.targetKind === "url" ? undefined : config.replicas?.find((n) => n > config.nodes);
  if (tooMany !== undefined) {
    throw new UsageError(`--n ${tooMany}: more copies than --nodes ${config.nodes} has nodes — add --nodes ${tooMany}, or lower --n`);
  }
}

function resolveTargetKind(raw: RawRunOptions): TargetKind {
  if (raw.target === undefined) return raw.url ? "url" : raw.couchdbBin?.length ? "local" : "docker";
  if (!TARGET_KINDS.includes(raw.target as TargetKind)) {
    throw new UsageError(`--target ${raw.target}: unknown target — use docker (default), local or url`);
  }
  return raw.target as TargetKind;
}

function defaultRunId(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-").toLowerCase();
}

function validUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return value.replace(/\/$/, "");
  } catch {
    throw new UsageError(`--url ${value}: not an http(s) URL — e.g. --url http://admin:password@127.0.0.1:5984`);
  }
}
