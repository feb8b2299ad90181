import { setTimeout as sleep } from "node:timers/promises";
import type { NodeProcesses } from "../../couch/targets/target.js";
import type { BuildCost, MachineLoad } from "../../results/results-format.js";
import { summariseCost, type CostSample } from "./cost-summary.js";
import { machineLoad, readMachine } from "./machine-load.js";

/**
 * Time between samples during a build. A sample reads every /proc/<pid>/stat once (about 1.3 ms
 * of CPU for a hundred processes on the 2-core test machine), the index directories, and
 * `_node/_local/_system` (one small HTTP request): at 250 ms about 1% of one core. Memory peaks
 * shorter than this may be missed.
 */
export const SAMPLE_INTERVAL_MS = 250;

/** What a target lets couchbench see of a CouchDB (StartedCouch's meters, and its HTTP API). */
export interface CostMeters {
  processes?: () => Promise<NodeProcesses[] | undefined>;
  indexDiskBytes?: (db: string) => Promise<number | undefined>;
  /** `_node/_local/_system`'s memory (summed) and os_proc_count. */
  system: () => Promise<{ memoryBytes: number; osProcesses: number } | undefined>;
  /** Why processes or disk are not measured, when a meter is missing (e.g. a url target). */
  absentReason: string;
}

const PROCESS_FIELDS = [
  "beamCpuMs",
  "beamPeakRssBytes",
  "queryServerPeakRssBytes",
  "queryServerLargestRssBytes",
  "queryServerProcesses",
];

/** Samples `meters` from now until `stop`, every `intervalMs`; the last sample is taken by `stop`. */
export function startSampling(
  meters: CostMeters,
  db: string,
  intervalMs = SAMPLE_INTERVAL_MS,
): { stop(): Promise<CostSample[]> } {
  const started = performance.now();
  const samples: CostSample[] = [];
  const take = async () => {
    const [nodes, diskBytes, system] = await Promise.all([
      meters.processes?.().catch(() => undefined),
      meters.indexDiskBytes?.(db).catch(() => undefined),
      meters.system().catch(() => undefined),
    ]);
    samples.push({
      atMs: performance.now() - started,
      ...(nodes ? { nodes } : {}),
      ...(diskBytes !== undefined ? { diskBytes } : {}),
      ...(system ? { erlangMemoryBytes: system.memoryBytes, osProcesses: system.osProcesses } : {}),
    });
  };
  let running = true;
  const loop = (async () => {
    await take();
    while (running) {
      await sleep(intervalMs);
      if (running) await take();
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await take();
      return samples;
    },
  };
}

/** A build's cost and the machine's load over it, with the query servers' CPU time. */
export interface MeteredBuild<T> {
  result: T;
  cost: BuildCost;
  machine?: MachineLoad;
  queryServerCpuMs?: number;
}

/** Runs `build` while sampling; the first sample is taken before it starts. */
export async function meterBuild<T>(meters: CostMeters, db: string, build: () => Promise<T>): Promise<MeteredBuild<T>> {
  const machineBefore = readMachine();
  const sampling = startSampling(meters, db);
  let result: T;
  try {
    result = await build();
  } catch (error) {
    // No sampling loop outlives its build.
    await sampling.stop();
    throw error;
  }
  const samples = await sampling.stop();
  const machineAfter = readMachine();
  const { cost, queryServerCpuMs, couchCpuMs } = summariseCost(samples, SAMPLE_INTERVAL_MS);
  const missing = [
    ...(meters.processes && cost.beamCpuMs !== undefined ? [] : PROCESS_FIELDS),
    ...(meters.indexDiskBytes && cost.peakDiskGrowthBytes !== undefined ? [] : ["peakDiskGrowthBytes"]),
  ];
  if (missing.length) cost.absent = { fields: missing, reason: meters.absentReason };
  return {
    result,
    cost,
    ...(machineBefore && machineAfter ? { machine: machineLoad(machineBefore, machineAfter, couchCpuMs) } : {}),
    ...(queryServerCpuMs !== undefined ? { queryServerCpuMs } : {}),
  };
}
