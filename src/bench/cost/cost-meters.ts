import type { CouchClient } from "../../couch/couch-client.js";
import type { StartedCouch } from "../../couch/targets/target.js";
import type { CostMeters } from "./cost-sampler.js";

export type { CostMeters };

/**
 * The meters of a started CouchDB: its processes and index files where visible, its HTTP API always.
 * What is not visible, and why, the target says (`unmeteredReason`: a url target always does).
 */
export function costMeters(couch: StartedCouch, client: CouchClient): CostMeters {
  return {
    ...(couch.processes ? { processes: () => couch.processes!() } : {}),
    ...(couch.indexDiskBytes ? { indexDiskBytes: (db: string) => couch.indexDiskBytes!(db) } : {}),
    system: async () => {
      const system = await client.nodeSystem();
      const { memory } = system;
      // erlang:memory(total) = processes + system, and system = atom + binary + code + ets + other.
      const memoryBytes = ["processes", "atom", "binary", "code", "ets", "other"].reduce(
        (sum, kind) => sum + (memory[kind] ?? 0),
        0,
      );
      return { memoryBytes, osProcesses: system.os_proc_count ?? 0 };
    },
    absentReason:
      couch.unmeteredReason ?? "not readable on this host (needs Linux's /proc, and the container's files for disk)",
  };
}
