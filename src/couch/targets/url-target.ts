import { CouchClient } from "../couch-client.js";
import { scrubUrl } from "../url.js";
import { findCouchVm } from "./listening-process.js";
import { localNodeProcesses } from "./process-cpu.js";
import { DEFAULT_START_TIMEOUT_MS, type CouchTarget, type StartedCouch } from "./target.js";
import { waitForCouch } from "./wait-for-couch.js";

/** A CouchDB someone else runs: couchbench only uses it, and stops nothing. */
export class UrlTarget implements CouchTarget {
  readonly kind = "url" as const;
  readonly label: string;

  constructor(
    readonly id: string,
    private readonly url: string,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.url,
  ) {
    this.label = `running server at ${scrubUrl(url)}`;
  }

  async start(_onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch> {
    await waitForCouch(this.url, { timeoutMs: this.startTimeoutMs, ...(signal ? { signal } : {}) });
    const nothingToStop = async () => {};
    return {
      url: this.url,
      facts: {},
      logTail: () => Promise.resolve(""),
      ...(await urlTargetMeters(this.url, signal)),
      stop: nothingToStop,
      [Symbol.asyncDispose]: nothingToStop,
    };
  }
}

/**
 * The processes of a url target's CouchDB where this machine runs it as a single node: its Erlang
 * VM holds the port's listening socket (see listening-process.ts). A node of a larger cluster is not
 * measured — the other nodes' work would count as other processes' — nor is one behind a proxy.
 */
export async function urlTargetMeters(
  url: string,
  signal?: AbortSignal,
): Promise<Pick<StartedCouch, "processes" | "unmeteredReason">> {
  const unseen = (why: string) => ({
    unmeteredReason: `a url target's processes and files are not visible to couchbench: ${why} (its _info sizes and _node/_local/_system memory are recorded)`,
  });
  const vm = findCouchVm(url);
  if (vm.pid === undefined) return unseen(vm.reason);
  const membership = await new CouchClient(url, signal).membership().catch(() => undefined);
  signal?.throwIfAborted();
  const nodes = membership?.cluster_nodes ?? [];
  if (nodes.length !== 1)
    return unseen(
      membership
        ? `it is one node of a ${nodes.length}-node cluster, whose other nodes' processes are not known`
        : "its _membership (which needs an admin) could not be read to check that it is a single node",
    );
  return {
    processes: localNodeProcesses(vm.pid, nodes[0]!),
    unmeteredReason: "a url target's index files are not read by couchbench (its _info sizes are recorded)",
  };
}
