/**
 * Whether two runs measured on comparable machines. Ratios between different hardware mix
 * machine and code differences, so `compare` warns instead of silently comparing.
 */
import type { ResultsFile, TargetInfo } from "../results/results-format.js";
import { formatBytes } from "./format.js";

export interface EnvironmentDifference {
  /** `host.cpuModel`, `target 3.4.3.jsEngine`, ... */
  field: string;
  baseline: string;
  current: string;
}

const HOST_FIELDS = ["cpuModel", "cpuCores", "memoryBytes", "hostname"] as const;
const TARGET_FIELDS = ["jsEngine", "cpus", "memoryBytes"] as const;

export function environmentDifferences(baseline: ResultsFile, current: ResultsFile): EnvironmentDifference[] {
  const differences: EnvironmentDifference[] = [];
  const note = (field: string, a: unknown, b: unknown, bytes: boolean) => {
    if (a !== b) differences.push({ field, baseline: show(a, bytes), current: show(b, bytes) });
  };
  for (const field of HOST_FIELDS) {
    note(`host.${field}`, baseline.environment[field], current.environment[field], field === "memoryBytes");
  }
  // Targets are matched by CouchDB version: that is how points are matched too.
  const currentTargets = byVersion(current.targets);
  for (const [version, a] of byVersion(baseline.targets)) {
    const b = currentTargets.get(version);
    if (!b) continue;
    for (const field of TARGET_FIELDS) {
      note(`CouchDB ${version} ${field}`, a[field], b[field], field === "memoryBytes");
    }
    // A cluster indexes every copy of every range: its build times are not a single node's.
    note(`CouchDB ${version} nodes`, a.cluster?.nodeCount ?? 1, b.cluster?.nodeCount ?? 1, false);
  }
  return differences;
}

function byVersion(targets: readonly TargetInfo[]): Map<string, TargetInfo> {
  return new Map(targets.map((t) => [t.couchdbVersion, t]));
}

function show(value: unknown, bytes: boolean): string {
  if (value === undefined) return "unset";
  return bytes && typeof value === "number" ? formatBytes(value) : String(value);
}

export function describeDifferences(differences: readonly EnvironmentDifference[]): string {
  return differences.map((d) => `${d.field} ${d.baseline} → ${d.current}`).join("; ");
}
