/**
 * A point's build cost: per figure, the median over its completed builds that have it. Shared by
 * the summary's cost table and the report's cost charts.
 */
import { median } from "../core/stats.js";
import type { Measurement } from "../results/results-format.js";
import type { Point } from "./points.js";

export interface PointCost {
  wallMs: number;
  beamCpuMs?: number;
  queryServerCpuMs?: number;
  beamPeakRssBytes?: number;
  queryServerPeakRssBytes?: number;
  queryServerLargestRssBytes?: number;
  erlangMemoryPeakBytes?: number;
  indexFileBytes?: number;
  peakDiskGrowthBytes?: number;
  compactionMs?: number;
  compactedFileBytes?: number;
  compactionPeakDiskGrowthBytes?: number;
  /** Builds that saw a query server exit, and builds on a busy machine. */
  restartedBuilds: number;
  busyBuilds: number;
}

/** Each cost figure of one build, by its name here (the CSV's columns use the same names). */
export const COST_FIGURES: ReadonlyArray<[keyof PointCost, (m: Measurement) => number | undefined]> = [
  ["beamCpuMs", (m) => m.build?.cost?.beamCpuMs],
  ["queryServerCpuMs", (m) => m.build?.queryServerCpuMs],
  ["beamPeakRssBytes", (m) => m.build?.cost?.beamPeakRssBytes],
  ["queryServerPeakRssBytes", (m) => m.build?.cost?.queryServerPeakRssBytes],
  ["queryServerLargestRssBytes", (m) => m.build?.cost?.queryServerLargestRssBytes],
  ["erlangMemoryPeakBytes", (m) => m.build?.cost?.erlangMemoryPeakBytes],
  ["indexFileBytes", (m) => m.build?.cost?.index?.fileBytes],
  ["peakDiskGrowthBytes", (m) => m.build?.cost?.peakDiskGrowthBytes],
  ["compactionMs", (m) => m.compaction?.ms],
  ["compactedFileBytes", (m) => m.compaction?.after.fileBytes],
  ["compactionPeakDiskGrowthBytes", (m) => m.compaction?.peakDiskGrowthBytes],
];

/** Undefined when no completed build of the point recorded a cost (older files, or none finished). */
export function pointCost(point: Point): PointCost | undefined {
  const built = point.measurements.filter((m) => m.status === "completed" && m.build?.cost);
  if (built.length === 0) return undefined;
  const cost: PointCost = {
    wallMs: median(built.map((m) => m.build!.ms)),
    restartedBuilds: built.filter((m) => (m.build!.cost!.queryServerProcesses?.exited ?? 0) > 0).length,
    busyBuilds: built.filter((m) => m.build!.machine?.busy).length,
  };
  for (const [name, pick] of COST_FIGURES) {
    const values = built.map(pick).filter((v): v is number => v !== undefined);
    if (values.length) (cost as unknown as Record<string, number>)[name] = median(values);
  }
  return cost;
}
