/**
 * Joining nodes into one cluster with CouchDB's own API, and reading back what a server's
 * cluster is. No coordination of couchbench's own: mem3 does the clustering.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { FailureError } from "../core/errors.js";
import type { ClusterInfo } from "../results/results-format.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "./couch-client.js";
import { membershipProblem } from "./targets/cluster-config.js";

export interface JoinRequest {
  /** Admin URL of every node, the coordinator first. */
  nodeUrls: readonly string[];
  /** Erlang node names, in the same order. */
  nodeNames: readonly string[];
  timeoutMs: number;
}

/**
 * Adds every other node to the coordinator's `_nodes` database (mem3 connects them over
 * Erlang distribution with the shared cookie), then `POST /_cluster_setup
 * {"action": "finish_cluster"}`, which waits for the nodes to connect, syncs admins, uuid and
 * auth secret, and creates the system databases (`_users`, `_replicator`). It then waits
 * until every node's `_membership` lists exactly these nodes.
 *
 * `_cluster_setup`'s `add_node` action would do the first step too, but it refuses a node
 * bound to 127.0.0.1 ("cluster not enabled"): the local cluster must stay on loopback.
 */
export async function joinCluster(request: JoinRequest): Promise<void> {
  const [coordinatorUrl, ...others] = request.nodeUrls;
  const coordinator = new CouchClient(coordinatorUrl!);
  for (const name of request.nodeNames.slice(1)) await coordinator.addNode(name);
  const deadline = Date.now() + request.timeoutMs;
  await waitForMembership(coordinator, request.nodeNames, deadline);
  await coordinator.clusterSetup({ action: "finish_cluster" }).catch((error: unknown) => {
    // A second finish_cluster answers 400 "Cluster is already finished": the system databases exist, as wanted.
    if (!(
      error instanceof CouchHttpError && /cluster_finished|already finished/i.test(`${error.error} ${error.reason}`)
    ))
      throw error;
  });
  for (const url of others) await waitForMembership(new CouchClient(url), request.nodeNames, deadline);
}

async function waitForMembership(client: CouchClient, expected: readonly string[], deadline: number): Promise<void> {
  let problem = "no answer yet";
  while (Date.now() < deadline) {
    try {
      problem = membershipProblem(await client.membership(), expected) ?? "";
      if (!problem) return;
    } catch (error) {
      problem = error instanceof CouchHttpError ? error.message : describeNetworkError(error);
    }
    await sleep(250);
  }
  throw new FailureError(
    `the cluster did not form: ${client.displayUrl} reports ${problem} — check that the nodes share a cookie and can reach each other's distribution ports`,
  );
}

/**
 * The cluster behind a URL: `_membership`, and each connected node's version and JS engine
 * through `/_node/{node}/`. A single node is a cluster of one, recorded the same way.
 */
export async function describeCluster(url: string): Promise<ClusterInfo> {
  const client = new CouchClient(url);
  const membership = await client.membership();
  const nodes = await Promise.all(
    membership.cluster_nodes.map(async (name) => {
      const [info, versions] = await Promise.all([
        client.nodeServerInfo(name).catch(() => undefined),
        client.nodeVersions(name).catch(() => undefined),
      ]);
      return { name, ...(info?.version ? { couchdbVersion: info.version } : {}), ...describeVersions(versions) };
    }),
  );
  return {
    nodeCount: membership.cluster_nodes.length,
    allNodes: membership.all_nodes,
    clusterNodes: membership.cluster_nodes,
    nodes,
  };
}

/** `_versions` → the JS engine and Erlang version, as TargetInfo words them. */
export function describeVersions(versions: Record<string, unknown> | undefined): {
  jsEngine?: string;
  erlangVersion?: string;
} {
  const engine = versions?.javascript_engine as { name?: string; version?: string } | undefined;
  const erlang = versions?.erlang as { version?: string } | undefined;
  return {
    ...(engine?.name ? { jsEngine: [engine.name, engine.version].filter(Boolean).join(" ") } : {}),
    ...(erlang?.version ? { erlangVersion: erlang.version } : {}),
  };
}
