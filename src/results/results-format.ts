/**
 * The couchbench results file, format version 1: `<out>/<run-id>/results.json`.
 *
 * This is a public, versioned format: other tools read it. Add optional fields freely;
 * renaming, removing or changing the meaning of a field needs a new `formatVersion`.
 * The JSON Schema is `results.schema.json` beside this file; the README documents it.
 *
 * Conventions: durations in milliseconds (`…Ms`), sizes in bytes (`…Bytes`), rates per second,
 * timestamps ISO 8601 UTC. URLs never carry credentials.
 */

export const RESULTS_FORMAT = "couchbench-results";
export const RESULTS_FORMAT_VERSION = 1;

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  formatVersion: typeof RESULTS_FORMAT_VERSION;
  runId: string;
  /** `running` while measurements are still being added; a killed run stays `running`. */
  status: "running" | "completed" | "failed" | "interrupted";
  createdAt: string;
  updatedAt: string;
  plan: PlanSummary;
  environment: HostEnvironment;
  targets: TargetInfo[];
  measurements: Measurement[];
  /** Run-level problems that are not tied to one measurement (a target that failed to start...). */
  notes: RunNote[];
  /** Datasets sampled from a live database (`--dataset couchdb:…`): where from and what they hold. */
  datasets?: DatasetInfo[];
}

export interface PlanSummary {
  /** Profile the run started from (`quick`, `classic`, `ci`, ...), before explicit options. */
  profile: string;
  targetKind: TargetKind;
  /**
   * Query servers requested, by couchbench name (`javascript`, `quickjs`, `typescript`, `erlang`, or one of
   * `queryServers`).
   */
  servers: string[];
  /** Servers given with `--query-server name=command`: the name is their design doc language. Absent when none were. */
  queryServers?: Array<{ name: string; command: string }>;
  datasets: string[];
  sizes: number[];
  /** Per dataset, the largest size that is run (the classic sweep stops large docs at 10,000). */
  maxSizeByDataset: Record<string, number>;
  shards: number[];
  /** Builds per server and point; with `repeatPolicy`, the most a point gets. */
  repeat: number;
  /** `--repeat auto`: repeats stop per point once the interval is narrow enough (absent: always `repeat`). */
  repeatPolicy?: RepeatPolicy;
  seed: number;
  identicalDocs: boolean;
  /** Path of the (first) design doc template the views came from. */
  designDoc: string;
  /**
   * Every design doc compared (`--ddoc a,b`), as paths; measurements name them by `designDoc`. Absent before ids and
   * design docs were recorded.
   */
  designDocs?: string[];
  /** Document-id schemes compared (`--ids a,b`): `sequential`, `random` or `uuidv7`. */
  ids?: string[];
  batchSize: number;
  /** Total number of builds (measurements) planned; with `repeatPolicy`, the most there can be. */
  plannedMeasurements: number;
  /** `--nodes`: CouchDB nodes per started target, when more than one (a cluster). */
  nodes?: number;
  /** `--n`: copies of each shard range the databases were created with (`?n=`), when given. */
  replicas?: number[];
  /** `--compact`: every build's views were compacted afterwards (`measurement.compaction`). */
  compact?: boolean;
  /** `--config`: the CouchDB settings compared, when given. */
  config?: PlanConfig;
}

/** One CouchDB setting: `[section] key = value`; `value: null` means deleted, the server's default. */
export interface ConfigSetting {
  section: string;
  key: string;
  value: string | null;
}

/** `--config` / `--config-combos`: the combinations of settings every point is built under. */
export interface PlanConfig {
  /** In the order `--config` gave them (the first combination of a repeat's rotation comes first). */
  combinations: ConfigSetting[][];
  /**
   * How a setting changes between builds: the combinations of settings CouchDB reads at run time are applied through
   * `_node/{node}/_config` on every node before each build of theirs, rotated with the servers from repeat to repeat
   * (`measurement.order`); combinations that differ in a setting read when a database opens (`file_compression`) get
   * databases of their own, one after the other in `combinations` order; settings read only at start-up get a target
   * start of their own (`target.startConfig`).
   */
  order: "rotated";
}

/** How `--repeat auto` decides, per point, whether to build once more (src/bench/repeat-policy.ts). */
export interface RepeatPolicy {
  /** Repeats every point gets. */
  minRepeats: number;
  /** Repeats no point goes beyond. */
  maxRepeats: number;
  /** Stop when every server's 95% interval is narrower than this fraction of its median (0.05: 5%). */
  targetWidth: number;
  /** Points with a median build shorter than this stop at `minRepeats`: `compare` does not gate them. */
  minBuildMs: number;
  /** Server the others are divided by, repeat by repeat (the interval is of that ratio). */
  reference: string;
}

export interface HostEnvironment {
  couchbenchVersion: string;
  nodeVersion: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  memoryBytes: number;
  hostname: string;
  /** The command line, credentials removed. */
  commandLine: string;
}

export type TargetKind = "docker" | "local" | "url";

export interface TargetInfo {
  /** Stable id used by measurements, e.g. `docker-3.4.3` or `url-1`. */
  id: string;
  kind: TargetKind;
  /** Server URL without credentials. */
  url: string;
  couchdbVersion: string;
  gitSha?: string;
  /** From `/_node/_local/_versions`: `spidermonkey` + version, or `quickjs`. */
  jsEngine?: string;
  erlangVersion?: string;
  /** Docker only. */
  image?: string;
  imageDigest?: string;
  /** Container limits, when set. */
  cpus?: number;
  memoryBytes?: number;
  /** `local` only: the `bin/couchdb` that was started. */
  couchdbBin?: string;
  /** Query-server languages the server accepted, by couchbench name. */
  availableServers: string[];
  /** Present when the server is a cluster of more than one node (started with `--nodes`, or found behind a URL). */
  cluster?: ClusterInfo;
  /** `--config` settings CouchDB reads only at start-up: this target was started with them in an ini file. */
  startConfig?: ConfigSetting[];
  /** `--config`: what each node's settings were before the run and whether they were put back. */
  configRestore?: ConfigRestore;
}

/** The settings `--config` changed on a target's nodes, and how they were left. */
export interface ConfigRestore {
  /**
   * `restored`: every node's previous values were written back and read back; `discarded`: the target was a node
   * couchbench started and stopped (nothing outlives it); `failed`: see `error`; `pending`: the run is still changing
   * them (a killed run stays `pending`).
   */
  status: "pending" | "restored" | "discarded" | "failed";
  /** Per node and setting, the value before the run (`null`: not set). */
  previous: Array<{ node: string; section: string; key: string; value: string | null }>;
  at?: string;
  error?: string;
}

/** A CouchDB cluster as it described itself after it formed. */
export interface ClusterInfo {
  /** Nodes in the cluster's node list (`cluster_nodes`). */
  nodeCount: number;
  /** `_membership.all_nodes`: the nodes the answering node is connected to. */
  allNodes: string[];
  /** `_membership.cluster_nodes`: the nodes of the cluster's `_nodes` database. */
  clusterNodes: string[];
  /** Per node of `cluster_nodes`, from `/_node/{name}/` and `/_node/{name}/_versions`. */
  nodes: ClusterNode[];
}

export interface ClusterNode {
  /** Erlang node name, e.g. `couchdb1-41000@127.0.0.1`. */
  name: string;
  couchdbVersion?: string;
  jsEngine?: string;
  erlangVersion?: string;
}

export interface Measurement {
  /**
   * `<targetId>/q<q>[/n<n>]/<dataset>/<docCount>/<ids>/<designDoc>/<server>/<repeat>` (older files: without ids and
   * designDoc): unique within a run, used by `--resume`.
   */
  key: string;
  targetId: string;
  couchdbVersion: string;
  q: number;
  /** Copies per shard range the database was created with (`--n`); absent: the server's default. */
  n?: number;
  dataset: string;
  docCount: number;
  /**
   * How document ids were made: `sequential` (CouchDB's default uuid algorithm), `random` (uuid4)
   * or `uuidv7` (time-ordered). Documents from a file or database keep their own ids; the scheme
   * names the ids of the copies beyond the sample. Absent in files written before it was recorded.
   */
  ids?: string;
  /** Short name of the design doc built (`classic`, `builtin`, or a file's name without `.json`). */
  designDoc?: string;
  /** couchbench name of the query server and the design-doc language it was reached by. */
  server: string;
  language: string;
  /** 1-based repeat number. */
  repeat: number;
  /** Position of this server in this repeat's order (1 = ran first). */
  order: number;
  status: "completed" | "errored" | "skipped";
  /** One line, for `errored` and `skipped`. */
  error?: string;
  startedAt: string;
  finishedAt: string;
  /** Loading the database this build ran on (shared by the servers of one size). */
  load?: LoadMetrics;
  build?: BuildMetrics;
  /** Incremental update: documents added after the build and the time to index them. */
  update?: { docCount: number; ms: number; docsPerSec: number };
  /** Time of a full `reduce=true` query on the freshly built `count` view. */
  reduce?: { ms: number };
  /** `--compact`: the views compacted right after the build (and its checks). */
  compaction?: CompactionMetrics;
  correctness: Correctness;
  /** CouchDB `query_server` statistics deltas over the build, where the server exposes them. */
  queryServerStats?: Record<string, number>;
  /**
   * Documents each view's map function threw on: CouchDB logs the exception and leaves the document out of that view.
   * Counted once per point and design doc, after the first build of it by javascript, quickjs or typescript
   * (`countedWith`), by an untimed second build of a design doc that wraps every map in a try/catch
   * (src/bench/left-out.ts); the design doc's other builds at the point carry the same count, their view output being
   * compared with the reference. Absent: not counted (`--no-verify`, Erlang or `--query-server` sources, or the count
   * failed, which a run note says).
   */
  leftOut?: { byView: Record<string, number>; countedWith: string };
  /**
   * `--config`: the settings this build ran under, in `plan.config` order; absent in runs without `--config`. Part of
   * the point: builds of different settings are compared like servers.
   */
  config?: ConfigSetting[];
}

export interface LoadMetrics {
  docCount: number;
  /** Total JSON bytes of the documents sent. */
  bytes: number;
  ms: number;
  docsPerSec: number;
  batchSize: number;
  retries: number;
}

export interface BuildMetrics {
  /** From the view query that triggered the build until it returned: one copy of every shard range was built. */
  ms: number;
  /**
   * CPU milliseconds (user + system) the query-server processes used over `ms`: every process
   * below CouchDB's Erlang VM (couchjs, couchbench's server, a --query-server; 0 for erlang
   * views), read from /proc where the target can see it — a local release, a Docker container;
   * absent for a server given by URL. Unlike `ms` it does not grow when something else on the
   * machine takes the CPU, so `compare --metric qs-cpu` can gate a query server on it.
   */
  queryServerCpuMs?: number;
  /**
   * Clusters only: from the same trigger until the index of every copy of every shard range, on
   * every node, was up to date (no indexer left in `_active_tasks`, and each copy's index
   * `update_seq` equal to its shard's).
   */
  allCopiesMs?: number;
  /** Clusters only: shard copies whose index was checked (q × n). */
  copies?: number;
  /**
   * Clusters only, when not 0: copies no indexer had started (their worker was cancelled once
   * another copy answered), built by a view query on their own node; `allCopiesMs` includes it.
   */
  copiesTriggered?: number;
  docsPerSec: number;
  /** Document JSON megabytes (10^6 bytes) indexed per second. */
  mbPerSec: number;
  /** Rows in the index after the build, per view. */
  rowsByView: Record<string, number>;
  /** What the build cost besides time: CPU, memory, processes, disk (src/bench/cost/). */
  cost?: BuildCost;
  /** How busy the machine couchbench ran on was during the build (src/bench/cost/machine-load.ts). */
  machine?: MachineLoad;
}

/**
 * Resources a build used. Process figures come from Linux's /proc below CouchDB's Erlang VM (local
 * and docker targets, and a url target this machine serves as a single node), summed over a cluster's nodes (`nodes` has each one); disk from the
 * database's index directories. Peaks are of samples taken every `sampleIntervalMs`: a peak that
 * lasts less than that may be missed. Fields a target cannot see are absent (see `absent`).
 */
export interface BuildCost {
  /** Time between samples of processes, index disk and Erlang memory. */
  sampleIntervalMs: number;
  /** Samples taken, the ones right before and right after the build included. */
  samples: number;
  /** CPU ms (user + system) of the Erlang VM process itself over the build (query servers excluded). */
  beamCpuMs?: number;
  /** Largest resident memory of the Erlang VM seen (per node summed, for a cluster). */
  beamPeakRssBytes?: number;
  /** Largest sum of the resident memory of all query-server processes at one sample. */
  queryServerPeakRssBytes?: number;
  /** Largest resident memory of any one query-server process seen. */
  queryServerLargestRssBytes?: number;
  /**
   * Query-server processes: `served` the build (used CPU, started or exited during it); `started`
   * during it; `exited` during it. Exits mid-build mean a crash, a kill or a timeout (CouchDB then
   * starts a new one): a build with `exited` > 0 was not measured under normal conditions.
   */
  queryServerProcesses?: { served: number; started: number; exited: number };
  /** `_info` `sizes` of the design doc's index after the build: all views, one copy of each shard range. */
  index?: IndexSizes;
  /**
   * Largest growth of the database's index directories (`.compact` files included) over their
   * size right before the build, in allocated bytes.
   */
  peakDiskGrowthBytes?: number;
  /** Largest Erlang memory (`_node/_local/_system` `memory`, summed) of the node that answered. */
  erlangMemoryPeakBytes?: number;
  /** Largest `os_proc_count` (`_node/_local/_system`): the query-server processes CouchDB had open. */
  osProcessesPeak?: number;
  /** Clusters: the same per node, by Erlang node name. */
  nodes?: NodeCost[];
  /** What this target could not measure and why, e.g. a url target's processes and files. */
  absent?: { fields: string[]; reason: string };
}

export interface NodeCost {
  node: string;
  beamCpuMs: number;
  queryServerCpuMs: number;
  beamPeakRssBytes: number;
  queryServerPeakRssBytes: number;
  queryServerProcesses: { served: number; started: number; exited: number };
}

/** `GET /{db}/_design/{ddoc}/_info` `view_index.sizes`, in bytes. */
export interface IndexSizes {
  /** The index file(s) on disk. */
  fileBytes: number;
  /** Live data in them; file − active is what compaction can give back. */
  activeBytes: number;
  /** The uncompressed size of the index's keys and values. */
  externalBytes: number;
}

export interface CompactionMetrics {
  /** From the compaction request until CouchDB reported none running for the index (polled every 100 ms). */
  ms: number;
  /** Largest growth of the index directories over their size right before compaction. */
  peakDiskGrowthBytes?: number;
  before: IndexSizes;
  after: IndexSizes;
}

/**
 * The machine couchbench ran on, during one build, from /proc/stat and /proc/loadavg. Busy when
 * another process took a share of the CPU that would slow the build (see machine-load.ts).
 */
export interface MachineLoad {
  /** 1-minute load average when the build started and when it ended. */
  loadAverageStart: number;
  loadAverageEnd: number;
  cpuCores: number;
  /** Share (0–1) of all cores' time the hypervisor gave to other guests. */
  stealShare: number;
  /**
   * CPU ms of every process other than couchbench and the CouchDB it measured, kernel threads
   * included; absent when CouchDB's processes are not visible (a url target not served from this
   * machine by a single node's Erlang VM; `cost.absent` says why), and then the load average decides.
   */
  otherCpuMs?: number;
  /** `otherCpuMs` as a share (0–1) of all cores' time during the build. */
  otherShare?: number;
  /**
   * True when `stealShare` (≥ 10%) or `otherShare` (≥ 25%) passed its threshold — without `otherShare`, when the load
   * average per core at the start was ≥ 1.5; `busyReason` says which.
   */
  busy: boolean;
  busyReason?: string;
}

export interface Correctness {
  /**
   * `reference`: the first server built for this point; the others are compared with it.
   * `match`/`mismatch`: same or different view output than the reference.
   * `unchecked`: nothing to compare with (only one server, or the build failed).
   */
  status: "reference" | "match" | "mismatch" | "unchecked";
  /**
   * sha256 of the complete row output of every view (`reduce=false`). Reduce results are compared
   * separately, numbers within a relative 1e-9: their float rounding follows CouchDB's B-tree batching.
   */
  digest?: string;
  /** Server this one was compared with. */
  comparedWith?: string;
  /** For `mismatch`: the first difference, one line. */
  detail?: string;
}

/** A dataset read from a live CouchDB database: never written to, sampled once per run. */
export interface DatasetInfo {
  /** The dataset as measurements name it (`measurement.dataset`): `couchdb:<url>/<db>` without credentials. */
  name: string;
  source: "couchdb";
  /** The source server, without credentials. */
  url: string;
  database: string;
  /** The source's `update_seq` when it was read (it must not change: couchbench only reads). */
  updateSeq: string;
  /** Documents sampled: the first ones in `_all_docs` order, design docs and deleted docs excluded. */
  sampledDocs: number;
  /** `dropped`: a stub cannot be written to a new database without the attachment's data. */
  attachments: "dropped";
  /** Sampled documents that had attachments in the source. */
  docsWithAttachments: number;
  /** JSON size of the sampled documents as loaded (`_rev` and `_attachments` removed). */
  docBytes: { min: number; median: number; p95: number; max: number };
}

export interface RunNote {
  at: string;
  level: "info" | "warning" | "error";
  message: string;
  targetId?: string;
}
