import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { NodeProcesses } from "./target.js";

/**
 * CouchDB's processes as Linux's /proc shows them: the Erlang VM (beam) and every process below it
 * (erl_child_setup and what it spawned — couchjs, couchbench's server, any --query-server; they run
 * in sessions of their own, so a process group would miss them). Their CPU time, resident memory,
 * and which query-server processes exist, so that a build's cost and a query server's restart can
 * be measured (bench/cost/). The VM's own CPU is kept apart from the query servers': its schedulers
 * busy-wait for work, so part of its CPU time grows with wall time rather than with the work done.
 */

/** /proc reports times in USER_HZ, 100 per second on every Linux architecture (proc(5)). */
const TICKS_PER_SECOND = 100;

/** The Erlang VM's process name. */
export const ERLANG_VM = "beam.smp";

/** The VM's port-program launcher: query servers are its children. */
const CHILD_SETUP = "erl_child_setup";

/** Port programs Erlang starts for itself below the VM: not query servers. */
const ERLANG_HELPERS = new Set([CHILD_SETUP, "inet_gethost", "epmd", "memsup", "cpu_sup"]);

export interface ProcessTimes {
  pid: number;
  parent: number;
  name: string;
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  ticks: number;
  /** utime + stime: its own CPU only. */
  selfTicks: number;
  /** Start time in ticks after boot: with the pid, it names one process even when a pid is reused. */
  startTicks: number;
  /** Resident set size in pages. */
  rssPages: number;
}

/** One /proc/<pid>/stat line; undefined when it is not one (a process gone mid-read). */
export function parseProcStat(text: string): ProcessTimes | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ")".
  const open = text.indexOf(" (");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  // From field 3 (state) on, so field N is at N - 3: ppid 4, utime..cstime 14–17, starttime 22, rss 24.
  const fields = text.slice(close + 2).split(" ");
  const parent = Number(fields[1]);
  const selfTicks = Number(fields[11]) + Number(fields[12]);
  const ticks = selfTicks + Number(fields[13]) + Number(fields[14]);
  const startTicks = Number(fields[19]);
  const rssPages = Number(fields[21]);
  if (!Number.isInteger(pid) || !Number.isInteger(parent) || !Number.isFinite(ticks)) return undefined;
  return {
    pid,
    parent,
    name: text.slice(open + 2, close),
    ticks,
    selfTicks,
    startTicks: Number.isFinite(startTicks) ? startTicks : 0,
    rssPages: Number.isFinite(rssPages) ? rssPages : 0,
  };
}

/** Every /proc/<pid>/stat line of this machine (or of a container, when read inside it). */
export function parseProcStats(lines: readonly string[]): ProcessTimes[] {
  return lines.map(parseProcStat).filter((p): p is ProcessTimes => p !== undefined);
}

/** One query-server process (with whatever it spawned itself, e.g. a shell's child) at one moment. */
export interface QueryServerProcess {
  /** `<pid>@<start ticks>`: stays the same for the life of the process, changes on a restart. */
  id: string;
  name: string;
  cpuMs: number;
  rssBytes: number;
}

/** One CouchDB node's processes at one moment. CPU figures are totals since each process started. */
export interface CouchProcesses {
  beam: { pid: number; cpuMs: number; rssBytes: number };
  /** Everything below the VM, reaped children included: the query servers' CPU (0 for erlang views). */
  belowVmCpuMs: number;
  /** The whole tree from the root couchbench knows (a release's start script, a container's init). */
  treeCpuMs: number;
  /** The children of erl_child_setup that are not Erlang's own helpers. */
  queryServers: QueryServerProcess[];
}

const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/**
 * CouchDB's processes found at or under `root` (the process couchbench started, or a container's
 * init). A pure function; undefined when there is no Erlang VM there.
 */
export function couchProcesses(
  processes: readonly ProcessTimes[],
  root: number,
  pageBytes: number,
): CouchProcesses | undefined {
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
  const rootProcess = processes.filter((p) => p.pid === root);
  const tree = [...rootProcess, ...below(root)];
  const vm = tree.find((p) => p.name === ERLANG_VM);
  if (!vm) return undefined;
  const sumTicks = (list: readonly ProcessTimes[]) => list.reduce((sum, p) => sum + p.ticks, 0);
  const launchers = (children.get(vm.pid) ?? []).filter((p) => p.name === CHILD_SETUP);
  const queryServers = (
    launchers.length ? launchers.flatMap((p) => children.get(p.pid) ?? []) : (children.get(vm.pid) ?? [])
  )
    .filter((p) => !ERLANG_HELPERS.has(p.name))
    .map((p) => {
      const own = [p, ...below(p.pid)];
      return {
        id: `${p.pid}@${p.startTicks}`,
        name: p.name,
        cpuMs: ticksToMs(sumTicks(own)),
        rssBytes: own.reduce((sum, q) => sum + q.rssPages, 0) * pageBytes,
      };
    });
  return {
    // Its own time only: the children it reaped (erl_child_setup) are counted below the VM.
    beam: { pid: vm.pid, cpuMs: ticksToMs(vm.selfTicks), rssBytes: vm.rssPages * pageBytes },
    belowVmCpuMs: ticksToMs(sumTicks(below(vm.pid))),
    treeCpuMs: ticksToMs(sumTicks(tree)),
    queryServers,
  };
}

/** CPU milliseconds of the processes below the Erlang VM at or under `root`; undefined when there is no VM. */
export function queryServerCpuMs(processes: readonly ProcessTimes[], root: number): number | undefined {
  return couchProcesses(processes, root, 0)?.belowVmCpuMs;
}

let pageSize: number | undefined;

/** Bytes per page, for the rss field of /proc/<pid>/stat (4096 on most machines, 16 or 64 KiB on some ARM). */
export function pageBytes(): number {
  if (pageSize === undefined) {
    try {
      pageSize = Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim()) || 4096;
    } catch {
      pageSize = 4096;
    }
  }
  return pageSize;
}

/**
 * Every process of this machine, from /proc (empty without one: not Linux). Read synchronously on
 * purpose: a hundred small reads through libuv's thread pool cost about six times the CPU, and this
 * runs every sampling interval during a build, on the machine being measured.
 */
export function readLocalProcesses(procDir = "/proc"): ProcessTimes[] {
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch {
    return [];
  }
  const lines: string[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      lines.push(readFileSync(`${procDir}/${name}/stat`, "utf8"));
    } catch {
      // gone since readdir
    }
  }
  return parseProcStats(lines);
}

/** The CouchDB started as `root` on this machine; undefined without /proc (not Linux) or without its VM. */
export function localCouchProcesses(root: number): CouchProcesses | undefined {
  return couchProcesses(readLocalProcesses(), root, pageBytes());
}

/** `StartedCouch.processes` of a single node running on this machine as, or below, `root`. */
export function localNodeProcesses(root: number, node: string): () => Promise<NodeProcesses[] | undefined> {
  return () => {
    const found = localCouchProcesses(root);
    return Promise.resolve(found ? [{ node, ...found }] : undefined);
  };
}
