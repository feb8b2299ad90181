import type { ConfigSetting, TargetInfo, TargetKind } from "../../results/results-format.js";
import type { CouchProcesses } from "./process-cpu.js";

/**
 * How long each kind of target may take until CouchDB answers `GET /_up`: the one place these
 * waits are set (`couchbench run --start-timeout` overrides them). Docker's includes the
 * container start after the image is built; local's a release's first boot.
 */
export const DEFAULT_START_TIMEOUT_MS: Readonly<Record<TargetKind, number>> = {
  docker: 120_000,
  local: 60_000,
  url: 10_000,
};

/** The admin couchbench creates in every CouchDB it starts (with a random password per start). */
export const ADMIN_USER = "couchbench";

/** A CouchDB that is up and reachable; disposing it stops whatever couchbench started. */
export interface StartedCouch extends AsyncDisposable {
  /** Base URL with admin credentials; never print it (use TargetInfo.url). */
  readonly url: string;
  /** What the target knows about itself before probing the server (image digest, binary...). */
  readonly facts: Partial<TargetInfo>;
  /** Last lines of CouchDB's log, for error messages; empty where couchbench cannot see it. */
  logTail(lines?: number): Promise<string>;
  /**
   * CouchDB's processes now, one entry per node (see process-cpu.ts), where couchbench can see
   * them: a local release's, a container's (from the host's /proc); absent or undefined elsewhere.
   * Sampled during each build (bench/cost/).
   */
  processes?(): Promise<NodeProcesses[] | undefined>;
  /**
   * Disk bytes of a database's view indexes now, summed over the nodes (see index-disk.ts), where
   * couchbench can read CouchDB's data directory; absent or undefined elsewhere.
   */
  indexDiskBytes?(db: string): Promise<number | undefined>;
  /**
   * Why `processes` or `indexDiskBytes` is missing, where the target knows (a url target always
   * says, and whether this machine serves it); recorded in `build.cost.absent`.
   */
  readonly unmeteredReason?: string;
  stop(): Promise<void>;
}

/** One node's processes, named by its Erlang node name (or the target's id for a single node). */
export interface NodeProcesses extends CouchProcesses {
  node: string;
}

/** Where a CouchDB comes from: one of docker, local, url. */
export interface CouchTarget {
  readonly kind: TargetKind;
  /** Stable id for results, e.g. `docker-3.4.3`. */
  readonly id: string;
  /** One line for the plan, e.g. `couchdb:3.4.3 in Docker (2 CPUs, 4 GiB)`. */
  readonly label: string;
  /** `--config` settings CouchDB reads only at start-up: written to an ini file read at start (local, docker). */
  readonly startConfig?: readonly ConfigSetting[];
  /**
   * Checks, before the first measurement of the run, that this target can start at all (the
   * image exists or builds, the release is there), so a typo costs seconds, not a whole run.
   */
  prepare?(onProgress: (message: string) => void, signal?: AbortSignal): Promise<void>;
  /**
   * When `signal` fires, whatever was started so far is stopped and the promise rejects with the
   * signal's reason: a target is stoppable from the moment it exists.
   */
  start(onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch>;
}

/** What progress says around a target's start and stop: a url target's server is only used, nothing starts or stops. */
export function lifecycleMessages(target: CouchTarget): { start: string; stop?: string } {
  if (target.kind === "url") return { start: `using the ${target.label}` };
  return { start: `starting ${target.label}`, stop: `stopping ${target.label}` };
}

/** A target's id and label with its start-up settings: one target per setting (`local+memory_limit_bytes=…`). */
export function withStartConfigName(
  id: string,
  label: string,
  startConfig: readonly ConfigSetting[],
): { id: string; label: string } {
  if (startConfig.length === 0) return { id, label };
  const settings = startConfig.map((s) => `${s.key}=${s.value ?? "default"}`);
  return {
    id: `${id}+${settings.join("+")}`,
    label: `${label}, started with ${startConfig.map((s) => `[${s.section}] ${s.key}=${s.value ?? "default"}`).join(", ")}`,
  };
}

/** `local` for `local+memory_limit_bytes=…`: the CouchDB a target started with start-up settings is one of. */
export function baseTargetId(id: string): string {
  return id.split("+")[0]!;
}
