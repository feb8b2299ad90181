import { readdir, readFile } from "node:fs/promises";

/**
 * CPU time of CouchDB's query servers, read from Linux's /proc: every process below the Erlang VM
 * (erl_child_setup and what it spawned — couchjs, couchbench's server, any --query-server; they run
 * in sessions of their own, so a process group would miss them). Not the VM itself: its schedulers
 * busy-wait for work, so its CPU time grows with wall time and says little about the work done.
 */

/** /proc reports times in USER_HZ, 100 per second on every Linux architecture (proc(5)). */
const TICKS_PER_SECOND = 100;

/** The Erlang VM's process name. */
const ERLANG_VM = "beam.smp";

export interface ProcessTimes {
  pid: number;
  parent: number;
  name: string;
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  ticks: number;
}

/** One /proc/<pid>/stat line; undefined when it is not one (a process gone mid-read). */
export function parseProcStat(text: string): ProcessTimes | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ")".
  const open = text.indexOf(" (");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  // From field 3 (state) on: ppid is field 4, utime..cstime fields 14–17.
  const fields = text.slice(close + 2).split(" ");
  const parent = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  if (!Number.isInteger(pid) || !Number.isInteger(parent) || !Number.isFinite(ticks)) return undefined;
  return { pid, parent, name: text.slice(open + 2, close), ticks };
}

/**
 * CPU milliseconds of the processes below the Erlang VM found at or under `root` (the process
 * couchbench started, or a container's init). A pure function; undefined when there is no VM.
 */
export function queryServerCpuMs(processes: readonly ProcessTimes[], root: number): number | undefined {
  const children = new Map<number, ProcessTimes[]>();
  for (const p of processes) {
    const siblings = children.get(p.parent);
    if (siblings) siblings.push(p);
    else children.set(p.parent, [p]);
  }
  const below = (pid: number): ProcessTimes[] => {
    const found: ProcessTimes[] = [];
    const pending = [...(children.get(pid) ?? [])];
    for (let p = pending.pop(); p; p = pending.pop()) {
      found.push(p);
      pending.push(...(children.get(p.pid) ?? []));
    }
    return found;
  };
  const vm = [...processes.filter((p) => p.pid === root), ...below(root)].find((p) => p.name === ERLANG_VM);
  if (!vm) return undefined;
  return (below(vm.pid).reduce((sum, p) => sum + p.ticks, 0) * 1000) / TICKS_PER_SECOND;
}

/** Every /proc/<pid>/stat line of this machine (or of a container, when read inside it). */
export function parseProcStats(lines: readonly string[]): ProcessTimes[] {
  return lines.map(parseProcStat).filter((p): p is ProcessTimes => p !== undefined);
}

/**
 * The query servers' CPU milliseconds so far, of the CouchDB started as `root`; undefined without /proc (not Linux).
 */
export async function localQueryServerCpuMs(root: number): Promise<number | undefined> {
  const names = await readdir("/proc").catch(() => undefined);
  if (!names) return undefined;
  const stats = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((pid) => readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")),
  );
  return queryServerCpuMs(parseProcStats(stats), root);
}
