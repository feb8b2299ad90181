import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { MachineLoad } from "../../results/results-format.js";

/**
 * How busy the machine was while a build ran. A build competes for the CPU with everything else on
 * the machine, so its time on a busy machine says little about the query server (pyperf and
 * hyperfine warn about the same thing). Measured from /proc/stat, all cores together:
 * - steal: time the hypervisor gave to other guests;
 * - others: busy time (user, nice, system, irq, softirq) minus couchbench's own process and the
 *   CouchDB being measured (its whole process tree). Kernel threads writing CouchDB's files count
 *   as others, a few percent on a quiet machine.
 * A url target's CouchDB is measured too when this machine serves it as a single node (its Erlang VM
 * holds the port's listening socket: couch/targets/listening-process.ts). The load average is
 * recorded too, but decides only where CouchDB's processes are not visible (a url target on
 * another machine, behind a proxy such as docker-proxy, a node of a larger cluster, or /proc not
 * readable — `otherShare` is then absent and `build.cost.absent` says why): a build's own run queue
 * raises it, and it trails by a minute, so the previous build would make every quiet run look busy
 * — hence a threshold well above what CouchDB and couchbench alone cause.
 */

/** Others took at least this share of all cores' time: on 2 cores, ~half a core taken from the build. */
export const OTHERS_BUSY_SHARE = 0.25;
/** The hypervisor took at least this share for other guests. */
export const STEAL_BUSY_SHARE = 0.1;
/** Without CouchDB's processes: a 1-minute load average at the build's start of at least this per core. */
export const LOAD_PER_CORE_BUSY = 1.5;

/** /proc reports times in USER_HZ, 100 per second (proc(5)). */
const MS_PER_TICK = 10;

/** The first ("cpu", all cores) line of /proc/stat, in ticks. */
export interface CpuTicks {
  busy: number;
  steal: number;
  total: number;
}

export function parseProcStatCpu(text: string): CpuTicks | undefined {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const fields = [user, nice, system, idle, iowait, irq, softirq, steal ?? 0];
  if (fields.some((f) => f === undefined || !Number.isFinite(f))) return undefined;
  const [u, n, s, i, w, q, sq, st] = fields as number[];
  return { busy: u! + n! + s! + q! + sq!, steal: st!, total: u! + n! + s! + i! + w! + q! + sq! + st! };
}

/** The 1-minute figure of /proc/loadavg. */
export function parseLoadAverage(text: string): number | undefined {
  const value = Number(text.split(" ")[0]);
  return text.trim() && Number.isFinite(value) ? value : undefined;
}

/** One reading of the machine at the start or end of a build. */
export interface MachineReading {
  cpu: CpuTicks;
  loadAverage: number;
  /** couchbench's own CPU ms so far (process.cpuUsage). */
  ownCpuMs: number;
}

export function readMachine(procDir = "/proc"): MachineReading | undefined {
  try {
    const cpu = parseProcStatCpu(readFileSync(`${procDir}/stat`, "utf8"));
    const loadAverage = parseLoadAverage(readFileSync(`${procDir}/loadavg`, "utf8"));
    if (!cpu || loadAverage === undefined) return undefined;
    const own = process.cpuUsage();
    return { cpu, loadAverage, ownCpuMs: (own.user + own.system) / 1000 };
  } catch {
    return undefined;
  }
}

/**
 * The machine's load over a build. `couchCpuMs`: what the measured CouchDB used meanwhile;
 * undefined when its processes are not visible, and then others cannot be told from CouchDB.
 */
export function machineLoad(
  before: MachineReading,
  after: MachineReading,
  couchCpuMs: number | undefined,
  cpuCores = availableParallelism(),
): MachineLoad {
  const total = Math.max(1, after.cpu.total - before.cpu.total);
  const stealShare = (after.cpu.steal - before.cpu.steal) / total;
  const load: MachineLoad = {
    loadAverageStart: before.loadAverage,
    loadAverageEnd: after.loadAverage,
    cpuCores,
    stealShare,
    busy: false,
  };
  if (couchCpuMs !== undefined) {
    const busyMs = (after.cpu.busy - before.cpu.busy) * MS_PER_TICK;
    load.otherCpuMs = Math.max(0, busyMs - (after.ownCpuMs - before.ownCpuMs) - couchCpuMs);
    load.otherShare = load.otherCpuMs / (total * MS_PER_TICK);
  }
  const reasons = [
    ...((load.otherShare ?? 0) >= OTHERS_BUSY_SHARE
      ? [`other processes took ${percent(load.otherShare!)} of the CPU`]
      : []),
    ...(stealShare >= STEAL_BUSY_SHARE ? [`the hypervisor stole ${percent(stealShare)} of the CPU`] : []),
    ...(couchCpuMs === undefined && before.loadAverage / cpuCores >= LOAD_PER_CORE_BUSY
      ? [`load average ${before.loadAverage.toFixed(1)} on ${cpuCores} cores when the build started`]
      : []),
  ];
  if (reasons.length) {
    load.busy = true;
    load.busyReason = reasons.join(", ");
  }
  return load;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
