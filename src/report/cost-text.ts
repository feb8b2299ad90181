/**
 * A build's cost (`build.cost`, `build.machine`, `compaction`) as short text, for the terminal and
 * the Markdown summary, and the warnings about builds that were not measured under normal
 * conditions: on a busy machine, or with a query server that exited mid-build.
 */
import type { Measurement, ResultsFile } from "../results/results-format.js";
import { formatBytes, formatMs } from "./format.js";

/** `CPU beam 0.95 s + query servers 0.55 s · RSS beam 113 MiB, query servers 100 MiB (largest 51 MiB) · …` */
export function describeCost(m: Measurement): string | undefined {
  const build = m.build;
  const cost = build?.cost;
  if (!build || !cost) return undefined;
  const parts: string[] = [];
  if (cost.beamCpuMs !== undefined && build.queryServerCpuMs !== undefined)
    parts.push(`CPU beam ${formatMs(cost.beamCpuMs)} + query servers ${formatMs(build.queryServerCpuMs)}`);
  if (cost.beamPeakRssBytes !== undefined)
    parts.push(
      `peak RSS beam ${formatBytes(cost.beamPeakRssBytes)}, query servers ${formatBytes(cost.queryServerPeakRssBytes ?? 0)}` +
        (cost.queryServerProcesses && cost.queryServerProcesses.served > 1
          ? ` (${cost.queryServerProcesses.served} processes, largest ${formatBytes(cost.queryServerLargestRssBytes ?? 0)})`
          : ""),
    );
  else if (cost.erlangMemoryPeakBytes !== undefined)
    parts.push(`peak Erlang memory ${formatBytes(cost.erlangMemoryPeakBytes)}`);
  if (cost.index) parts.push(`index ${formatBytes(cost.index.fileBytes)}`);
  if (cost.peakDiskGrowthBytes !== undefined) parts.push(`peak disk +${formatBytes(cost.peakDiskGrowthBytes)}`);
  if (m.compaction)
    parts.push(
      `compacted in ${formatMs(m.compaction.ms)} to ${formatBytes(m.compaction.after.fileBytes)}` +
        (m.compaction.peakDiskGrowthBytes !== undefined
          ? ` (peak disk +${formatBytes(m.compaction.peakDiskGrowthBytes)})`
          : ""),
    );
  return parts.length ? parts.join(" · ") : undefined;
}

/** Why this build's figures are suspect, one short phrase each (empty when nothing is). */
export function buildWarnings(m: Measurement): string[] {
  const warnings: string[] = [];
  const exited = m.build?.cost?.queryServerProcesses?.exited ?? 0;
  if (exited > 0)
    warnings.push(
      `${exited} query-server process${exited > 1 ? "es" : ""} exited mid-build (a crash, kill or timeout; ${m.build!.cost!.queryServerProcesses!.started} started)`,
    );
  const machine = m.build?.machine;
  if (machine?.busy)
    warnings.push(
      // Without others' CPU share (a url target served elsewhere) the reason is the load average itself: say it once.
      machine.otherShare === undefined
        ? `busy machine: ${machine.busyReason}`
        : `busy machine: ${machine.busyReason} (load average ${machine.loadAverageEnd.toFixed(1)})`,
    );
  return warnings;
}

/**
 * The run-level warnings of a results file, for the summary, the report and `compare`: how many
 * builds ran on a busy machine or saw a query server exit. Empty when none did.
 */
export function runWarnings(file: ResultsFile): string[] {
  const built = file.measurements.filter((m) => m.status === "completed" && m.build);
  const busy = built.filter((m) => m.build!.machine?.busy);
  const warnings: string[] = [];
  if (busy.length > 0) {
    const load = Math.max(...busy.map((m) => m.build!.machine!.loadAverageEnd));
    // Where CouchDB's CPU cannot be told from others' (a url target served elsewhere), only the load average says the machine was busy.
    const shares = busy.flatMap((m) => (m.build!.machine!.otherShare === undefined ? [] : [m.build!.machine!]));
    const worst = Math.max(...shares.map((machine) => Math.max(machine.otherShare!, machine.stealShare)));
    const taken = shares.length ? `others or the hypervisor took up to ${Math.round(worst * 100)}% of the CPU; ` : "";
    warnings.push(
      `${busy.length} of ${built.length} builds of run ${file.runId} ran on a busy machine (${taken}load average up to ${load.toFixed(1)}): their times are slower and noisier than a quiet machine's — rerun on a quiet machine before trusting them`,
    );
  }
  const restarted = built.filter((m) => (m.build!.cost?.queryServerProcesses?.exited ?? 0) > 0);
  if (restarted.length > 0)
    warnings.push(
      `${restarted.length} build${restarted.length > 1 ? "s" : ""} of run ${file.runId} saw a query-server process exit mid-build (a crash, kill or timeout): ${restarted.map((m) => m.key).join(", ")}`,
    );
  return warnings;
}
