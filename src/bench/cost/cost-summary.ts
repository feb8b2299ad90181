import type { NodeProcesses } from "../../couch/targets/target.js";
import type { BuildCost, NodeCost } from "../../results/results-format.js";

/** What the sampler saw at one moment of a build; a field is absent when its meter was unavailable. */
export interface CostSample {
  /** Milliseconds since sampling started. */
  atMs: number;
  /** CouchDB's processes per node. */
  nodes?: NodeProcesses[];
  /** The database's index directories, summed over nodes. */
  diskBytes?: number;
  /** `_node/_local/_system`: `memory` summed, and `os_proc_count`. */
  erlangMemoryBytes?: number;
  osProcesses?: number;
}

type ProcessCounts = NodeCost["queryServerProcesses"];

/** What a build cost, from its samples (the first right before the build, the last right after it). */
export interface CostSummary {
  cost: BuildCost;
  /** The query servers' CPU ms over the build, summed over nodes (BuildMetrics.queryServerCpuMs). */
  queryServerCpuMs?: number;
  /** CPU ms of everything CouchDB ran (its whole process tree), for the machine's busyness. */
  couchCpuMs?: number;
}

/** A pure function of the samples: CPU from the first and last, peaks and process identities from all. */
export function summariseCost(samples: readonly CostSample[], sampleIntervalMs: number): CostSummary {
  const cost: BuildCost = { sampleIntervalMs, samples: samples.length };
  const diskGrowth = growth(samples.map((s) => s.diskBytes));
  if (diskGrowth !== undefined) cost.peakDiskGrowthBytes = diskGrowth;
  const memory = peak(samples.map((s) => s.erlangMemoryBytes));
  if (memory !== undefined) cost.erlangMemoryPeakBytes = memory;
  const osProcesses = peak(samples.map((s) => s.osProcesses));
  if (osProcesses !== undefined) cost.osProcessesPeak = osProcesses;

  const withNodes = samples.filter((s): s is CostSample & { nodes: NodeProcesses[] } => s.nodes !== undefined);
  if (withNodes.length < 2) return { cost };
  const names = [...new Set(withNodes.flatMap((s) => s.nodes.map((n) => n.node)))];
  const present = (name: string) => withNodes.flatMap((s) => s.nodes.filter((n) => n.node === name));
  // Idle processes of other languages (from earlier builds) stay open: only those that served count for memory.
  const servedBy = new Map(names.map((name) => [name, processCounts(present(name)).servedIds]));
  const servers = (node: NodeProcesses) => node.queryServers.filter((qs) => servedBy.get(node.node)!.has(qs.id));
  const rssOf = (node: NodeProcesses) => servers(node).reduce((total, qs) => total + qs.rssBytes, 0);
  const nodes = names.map((name) => nodeCost(name, present(name), rssOf));
  const sum = (pick: (node: NodeCost) => number) => nodes.reduce((total, node) => total + pick(node), 0);
  const atOnce = (pick: (node: NodeProcesses) => number) =>
    Math.max(...withNodes.map((s) => s.nodes.reduce((total, node) => total + pick(node), 0)));
  const first = withNodes[0]!.nodes;
  const last = withNodes[withNodes.length - 1]!.nodes;
  const treeCpu = (list: readonly NodeProcesses[]) => list.reduce((total, node) => total + node.treeCpuMs, 0);
  Object.assign(cost, {
    beamCpuMs: sum((node) => node.beamCpuMs),
    beamPeakRssBytes: atOnce((node) => node.beam.rssBytes),
    queryServerPeakRssBytes: atOnce((node) => rssOf(node)),
    queryServerLargestRssBytes: Math.max(
      0,
      ...withNodes.flatMap((s) => s.nodes.flatMap((node) => servers(node).map((qs) => qs.rssBytes))),
    ),
    queryServerProcesses: {
      served: sum((node) => node.queryServerProcesses.served),
      started: sum((node) => node.queryServerProcesses.started),
      exited: sum((node) => node.queryServerProcesses.exited),
    },
    ...(nodes.length > 1 ? { nodes } : {}),
  } satisfies Partial<BuildCost>);
  return {
    cost,
    queryServerCpuMs: sum((node) => node.queryServerCpuMs),
    // A VM that restarted mid-build has a smaller total: then only what came after counts.
    couchCpuMs: Math.max(0, treeCpu(last) - treeCpu(first)),
  };
}

function nodeCost(node: string, present: readonly NodeProcesses[], rssOf: (node: NodeProcesses) => number): NodeCost {
  const first = present[0]!;
  const last = present[present.length - 1]!;
  // A new VM (a crash and restart) started from zero: its total is what it used.
  const beamCpuMs = last.beam.pid === first.beam.pid ? last.beam.cpuMs - first.beam.cpuMs : last.beam.cpuMs;
  return {
    node,
    beamCpuMs: Math.max(0, beamCpuMs),
    queryServerCpuMs: Math.max(0, last.belowVmCpuMs - first.belowVmCpuMs),
    beamPeakRssBytes: Math.max(...present.map((s) => s.beam.rssBytes)),
    queryServerPeakRssBytes: Math.max(...present.map(rssOf)),
    queryServerProcesses: counts(processCounts(present)),
  };
}

const counts = ({ served, started, exited }: ProcessCounts): ProcessCounts => ({ served, started, exited });

/**
 * Query-server processes by identity (pid and start time) across consecutive samples: started
 * (absent from the first sample), exited (gone from a later sample), served (any of those, or its
 * CPU grew). A process that starts and ends between two samples is not seen.
 */
export function processCounts(samples: readonly NodeProcesses[]): ProcessCounts & { servedIds: Set<string> } {
  const initial = new Set(samples[0]?.queryServers.map((qs) => qs.id));
  const started = new Set<string>();
  const exited = new Set<string>();
  const worked = new Set<string>();
  for (let i = 1; i < samples.length; i++) {
    const before = new Map(samples[i - 1]!.queryServers.map((qs) => [qs.id, qs.cpuMs]));
    const now = new Map(samples[i]!.queryServers.map((qs) => [qs.id, qs.cpuMs]));
    for (const [id, cpuMs] of now) {
      if (!initial.has(id)) started.add(id);
      const was = before.get(id);
      if (was !== undefined && cpuMs > was) worked.add(id);
    }
    for (const id of before.keys()) if (!now.has(id)) exited.add(id);
  }
  const served = new Set([...started, ...exited, ...worked]);
  return { served: served.size, started: started.size, exited: exited.size, servedIds: served };
}

function peak(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

/** Largest value over the first one; undefined without a first value. */
function growth(values: ReadonlyArray<number | undefined>): number | undefined {
  const start = values[0];
  if (start === undefined) return undefined;
  return Math.max(0, peak(values)! - start);
}
