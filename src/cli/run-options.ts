import { resolve } from "node:path";
import { DEFAULT_DESIGN_DOC, designDocName, designDocPath } from "../bench/design-docs.js";
import { DEFAULT_ID_SCHEME, ID_SCHEMES, isIdScheme, type IdScheme } from "../bench/datasets/index.js";
import { isCouchSpec, parseCouchSpec } from "../bench/datasets/couchdb-dataset.js";
import type { RunConfig } from "../bench/plan.js";
import { DEFAULT_PROFILE, RUN_PROFILES, type RunProfile } from "../bench/profiles.js";
import { DEFAULT_REPEAT_POLICY, type RepeatPolicy } from "../bench/repeat-policy.js";
import { REFERENCE_SERVER } from "../report/points.js";
import type { TargetKind } from "../results/results-format.js";
import { UsageError } from "../core/errors.js";
import { byteSize, fraction, list, positiveNumber, wholeNumber, wholeNumbers } from "./option-values.js";
import { resolveQueryServerChoice, type RawQueryServerOptions } from "./query-server-options.js";
import { resolveConfigCombinations, type RawConfigOptions } from "./config-options.js";

/** `couchbench run` options as commander hands them over (strings, before validation). */
export interface RawRunOptions extends RawQueryServerOptions, RawConfigOptions {
  target?: string;
  couchdb?: string;
  couchdbBin?: string[];
  url?: string;
  dataset?: string;
  sizes?: string;
  q?: string;
  n?: string;
  nodes?: string;
  repeat?: string;
  maxRepeat?: string;
  intervalWidth?: string;
  profile?: string;
  ddoc?: string;
  ids?: string;
  sample?: string;
  seed?: string;
  identical?: boolean;
  batchSize?: string;
  concurrency?: string;
  update?: string;
  verify?: boolean;
  compact?: boolean;
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
  if (!profile)
    throw new UsageError(
      `--profile ${profileName}: unknown profile — use one of ${Object.keys(RUN_PROFILES).join(", ")}`,
    );
  const targetKind = resolveTargetKind(raw);
  const { servers, queryServers, dockerFile } = resolveQueryServerChoice(raw, targetKind);
  const datasetSpecs = raw.dataset ? list("--dataset", raw.dataset) : profile.datasets;
  const datasetLocations = Object.fromEntries(
    datasetSpecs.filter(isCouchSpec).map((spec) => [parseCouchSpec(spec).name, spec]),
  );
  const designDocs = raw.ddoc ? designDocPaths(raw.ddoc) : [DEFAULT_DESIGN_DOC];
  const configCombinations = resolveConfigCombinations(raw, targetKind);
  const config: RunConfig = {
    profile: profileName,
    targetKind,
    couchdbVersions: raw.couchdb ? list("--couchdb", raw.couchdb) : [DEFAULT_COUCHDB_VERSION],
    couchdbBins: (raw.couchdbBin ?? []).map((bin) => resolve(bin)),
    ...(raw.url ? { url: validUrl(raw.url) } : {}),
    servers,
    queryServers,
    ...(dockerFile !== undefined ? { dockerFile: resolve(dockerFile) } : {}),
    datasets: datasetSpecs.map((spec) => (isCouchSpec(spec) ? parseCouchSpec(spec).name : spec)),
    datasetLocations,
    sizes: raw.sizes ? wholeNumbers("--sizes", raw.sizes, { example: "10,100,1000" }) : profile.sizes,
    maxSizeByDataset: raw.sizes ? {} : profile.maxSizeByDataset,
    shards: raw.q ? wholeNumbers("--q", raw.q, { example: "1,2" }) : profile.shards,
    ...resolveRepeat(raw, profile, servers),
    seed: raw.seed ? wholeNumber("--seed", raw.seed, { min: 0, example: "1" }) : 1,
    identical: raw.identical ?? false,
    designDoc: designDocs[0]!,
    designDocs,
    ids: raw.ids ? idSchemes(raw.ids) : [DEFAULT_ID_SCHEME],
    ...(raw.sample ? { sample: wholeNumber("--sample", raw.sample, { example: "1000" }) } : {}),
    batchSize: raw.batchSize ? wholeNumber("--batch-size", raw.batchSize, { example: "1000" }) : 1000,
    loadConcurrency: raw.concurrency ? wholeNumber("--concurrency", raw.concurrency, { example: "4" }) : 4,
    updateFraction: raw.update ? fraction("--update", raw.update) : 0.1,
    verify: raw.verify ?? true,
    ...(raw.compact ? { compact: true } : {}),
    outDir: resolve(raw.out ?? "results"),
    runId: raw.resume ?? raw.runId ?? defaultRunId(now),
    resume: raw.resume !== undefined,
    ...(raw.cpus ? { cpus: positiveNumber("--cpus", raw.cpus) } : {}),
    ...(raw.memory ? { memoryBytes: byteSize("--memory", raw.memory) } : {}),
    ...(raw.startTimeout ? { startTimeoutMs: positiveNumber("--start-timeout", raw.startTimeout) * 1000 } : {}),
    nodes: raw.nodes ? wholeNumber("--nodes", raw.nodes, { example: "3" }) : 1,
    ...(raw.n ? { replicas: wholeNumbers("--n", raw.n, { example: "1,3" }) } : {}),
    ...(configCombinations ? { configCombinations } : {}),
  };
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(config.runId)) {
    throw new UsageError(
      `--run-id ${config.runId}: use lower-case letters, digits, - and _ (it names a folder and CouchDB databases)`,
    );
  }
  if (config.sample !== undefined && Object.keys(datasetLocations).length === 0) {
    throw new UsageError(
      "--sample sets how many documents a couchdb: dataset reads — add --dataset couchdb:http://user:pw@host:5984/<db>, or drop --sample",
    );
  }
  if (targetKind === "local" && config.couchdbBins.length === 0) {
    throw new UsageError(
      "--target local needs --couchdb-bin <release>/bin/couchdb (repeat it to compare several releases)",
    );
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

function idSchemes(value: string): IdScheme[] {
  const schemes = [...new Set(list("--ids", value))];
  const unknown = schemes.find((scheme) => !isIdScheme(scheme));
  if (unknown !== undefined)
    throw new UsageError(`--ids: unknown id scheme '${unknown}' — use any of ${ID_SCHEMES.join(", ")}`);
  return schemes as IdScheme[];
}

/** Library names or paths; two with the same name would be indistinguishable in the results. */
function designDocPaths(value: string): string[] {
  const paths = [...new Set(list("--ddoc", value).map(designDocPath))];
  const names = paths.map(designDocName);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new UsageError(
      `--ddoc: two design docs are named '${repeated}' — rename one file (measurements name a design doc by its file name)`,
    );
  return paths;
}

/** `--repeat 5`, or `--repeat auto` with its bounds; the bounds alone are a mistake worth naming. */
function resolveRepeat(
  raw: RawRunOptions,
  profile: RunProfile,
  servers: readonly string[],
): { repeat: number; repeatPolicy?: RepeatPolicy } {
  const repeat = raw.repeat ?? String(profile.repeat);
  if (repeat !== "auto") {
    if (raw.maxRepeat || raw.intervalWidth)
      throw new UsageError("--max-repeat and --interval-width bound --repeat auto — add --repeat auto, or drop them");
    return { repeat: wholeNumber("--repeat", repeat, { example: "3 or auto" }) };
  }
  const maxRepeats = raw.maxRepeat
    ? wholeNumber("--max-repeat", raw.maxRepeat, { example: "10" })
    : DEFAULT_REPEAT_POLICY.maxRepeats;
  const policy: RepeatPolicy = {
    ...DEFAULT_REPEAT_POLICY,
    minRepeats: Math.min(DEFAULT_REPEAT_POLICY.minRepeats, maxRepeats),
    maxRepeats,
    ...(raw.intervalWidth ? { targetWidth: fraction("--interval-width", raw.intervalWidth) } : {}),
    reference: servers.includes(REFERENCE_SERVER) ? REFERENCE_SERVER : servers[0]!,
  };
  if (policy.targetWidth <= 0) throw new UsageError(`--interval-width ${raw.intervalWidth}: must be above 0 — e.g. 5%`);
  return { repeat: maxRepeats, repeatPolicy: policy };
}

/** `--nodes` starts a cluster, so it needs a target couchbench starts; `--n` cannot exceed it. */
function assertClusterOptions(config: RunConfig): void {
  if (config.nodes > 1 && config.targetKind === "url") {
    throw new UsageError(
      `--nodes ${config.nodes}: couchbench starts clusters only for --target local or docker — a --url cluster is used (and recorded) as it is`,
    );
  }
  if (
    config.nodes > 1 &&
    config.targetKind === "docker" &&
    (config.queryServers.length > 0 || config.dockerFile !== undefined)
  ) {
    throw new UsageError(
      `--nodes ${config.nodes} with --query-server/--docker-file: a Docker cluster runs couchbench's own image only — use --target local for your own server on a cluster`,
    );
  }
  const tooMany = config.targetKind === "url" ? undefined : config.replicas?.find((n) => n > config.nodes);
  if (tooMany !== undefined) {
    throw new UsageError(
      `--n ${tooMany}: more copies than --nodes ${config.nodes} has nodes — add --nodes ${tooMany}, or lower --n`,
    );
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
