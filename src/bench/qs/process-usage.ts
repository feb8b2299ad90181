/**
 * CPU time and peak memory of a query server, read from Linux's /proc before it exits.
 * The server runs under `/bin/sh -c` like CouchDB runs it, and may itself start helpers
 * (a wrapper script, `tee`, a worker), so the whole process tree below the spawned pid counts.
 * Elsewhere (no /proc) the numbers are simply absent.
 */
import { readdir, readFile } from "node:fs/promises";

/** Linux reports utime/stime in USER_HZ ticks, which is 100 on every architecture it runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** User + system CPU time of the tree, including children it already reaped. */
  cpuMs: number;
  /** Sum of each process's peak resident set (VmHWM): an upper bound of the tree's peak. */
  peakMemoryBytes: number;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself contain spaces or `)`. */
export function parseProcStat(text: string): ProcStat {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, utime..cstime are 14..17.
  const ticks = fields.slice(11, 15).map(Number);
  return {
    pid: Number.parseInt(text, 10),
    ppid: Number(fields[1]),
    cpuTicks: ticks.reduce((sum, value) => sum + value, 0),
  };
}

/** VmHWM from /proc/<pid>/status, in bytes (0 for kernel threads and zombies). */
export function parseVmHwmBytes(status: string): number {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** The pids of `root` and all its descendants, from a list of every process's stat. */
export function processTree(root: number, stats: readonly ProcStat[]): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) {
    for (const stat of stats) if (stat.ppid === tree[i]) tree.push(stat.pid);
  }
  return tree;
}

export async function readProcessUsage(root: number): Promise<ProcessUsage | undefined> {
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const stats = (await Promise.all(pids.map((pid) => readOptional(`/proc/${pid}/stat`)))).flatMap((text) =>
    text === undefined ? [] : [parseProcStat(text)],
  );
  const tree = processTree(root, stats);
  if (!stats.some((stat) => stat.pid === root)) return undefined;
  const statuses = await Promise.all(tree.map((pid) => readOptional(`/proc/${pid}/status`)));
  const ticks = stats.filter((stat) => tree.includes(stat.pid)).reduce((sum, stat) => sum + stat.cpuTicks, 0);
  return {
    cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
    peakMemoryBytes: statuses.reduce((sum, status) => sum + (status ? parseVmHwmBytes(status) : 0), 0),
  };
}

/** Processes come and go while we read: a vanished one simply does not count. */
async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch(() => undefined);
}
