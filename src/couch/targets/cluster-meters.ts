import type { StartedCouch } from "./target.js";

export type NodeMeters = Pick<StartedCouch, "processes" | "indexDiskBytes">;

/**
 * A cluster's meters from its nodes': every node's processes, and the index disk summed over
 * their data directories (a clustered build runs on all of them). A meter is there only when
 * every node has it, and reads undefined when any node's does.
 */
export function clusterMeters(nodes: readonly NodeMeters[]): NodeMeters {
  const processes = nodes.map((node) => node.processes);
  const disks = nodes.map((node) => node.indexDiskBytes);
  const meters: NodeMeters = {};
  if (processes.every((read) => read !== undefined))
    meters.processes = async () => {
      const perNode = await Promise.all(processes.map((read) => read!()));
      return perNode.every((found) => found !== undefined) ? perNode.flatMap((found) => found!) : undefined;
    };
  if (disks.every((read) => read !== undefined))
    meters.indexDiskBytes = async (db) => {
      const perNode = await Promise.all(disks.map((read) => read!(db)));
      return perNode.every((bytes) => bytes !== undefined)
        ? perNode.reduce((sum: number, b) => sum + b!, 0)
        : undefined;
    };
  return meters;
}
