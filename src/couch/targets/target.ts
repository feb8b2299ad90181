import type { TargetInfo, TargetKind } from "../../bench/results-format.js";

/** A CouchDB that is up and reachable; disposing it stops whatever couchbench started. */
export interface StartedCouch extends AsyncDisposable {
  /** Base URL with admin credentials; never print it (use TargetInfo.url). */
  readonly url: string;
  /** What the target knows about itself before probing the server (image digest, binary...). */
  readonly facts: Partial<TargetInfo>;
  /** Last lines of CouchDB's log, for error messages; empty where couchbench cannot see it. */
  logTail(lines?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Where a CouchDB comes from: one of docker, local, url. */
export interface CouchTarget {
  readonly kind: TargetKind;
  /** Stable id for results, e.g. `docker-3.4.3`. */
  readonly id: string;
  /** One line for the plan, e.g. `couchdb:3.4.3 in Docker (2 CPUs, 4 GiB)`. */
  readonly label: string;
  start(onProgress: (message: string) => void): Promise<StartedCouch>;
}
