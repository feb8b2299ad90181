import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PROC_FIXTURES } from "../../test-support/proc-fixtures.js";
import {
  couchProcesses,
  localCouchProcesses,
  parseProcStat,
  queryServerCpuMs,
  readLocalProcesses,
  type ProcessTimes,
} from "./process-cpu.js";

/** A /proc/<pid>/stat line as Linux writes it (52 fields), with utime..cstime as given. */
function statLine(pid: number, name: string, parent: number, [utime, stime, cutime, cstime]: number[]): string {
  return `${pid} (${name}) S ${parent} ${pid} ${pid} 0 -1 4194560 900 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 11 0 5000 1000000 2000 ${"0 ".repeat(29).trim()}`;
}

const process = (pid: number, parent: number, name: string, ticks: number): ProcessTimes => ({
  pid,
  parent,
  name,
  ticks,
  selfTicks: ticks,
  startTicks: pid,
  rssPages: 1,
});

describe("CouchDB's processes from /proc", () => {
  it("parses a stat line whose command name holds spaces and parentheses", () => {
    assert.deepEqual(parseProcStat(statLine(4242, "node (qs) x", 4200, [150, 30, 12, 8])), {
      pid: 4242,
      parent: 4200,
      name: "node (qs) x",
      ticks: 200,
      selfTicks: 180,
      startTicks: 5000,
      rssPages: 2000,
    });
    assert.equal(parseProcStat(""), undefined);
  });

  it("sums what runs below the Erlang VM, not the VM, and nothing outside it", () => {
    const processes = [
      process(1, 0, "tini", 1000),
      process(10, 1, "beam.smp", 5000), // busy-waiting schedulers: counted apart
      process(11, 10, "erl_child_setup", 7), // includes query servers it reaped
      process(12, 11, "couchjs", 100),
      process(13, 11, "node", 40),
      process(20, 1, "sh", 400), // a docker exec: not CouchDB's
    ];
    assert.equal(queryServerCpuMs(processes, 1), 1470);
    assert.equal(queryServerCpuMs(processes, 10), 1470);
    assert.equal(queryServerCpuMs(processes, 20), undefined, "no Erlang VM there");
  });

  it("reads a /proc directory: the VM apart, query servers by identity, Erlang's helpers and strangers left out", () => {
    const found = couchProcesses(readLocalProcesses(join(PROC_FIXTURES, "before")), 3100, 4096);
    assert.deepEqual(found, {
      beam: { pid: 3100, cpuMs: 6000, rssBytes: 20000 * 4096 },
      belowVmCpuMs: (320 + 260 + 1) * 10,
      treeCpuMs: (600 + 320 + 260 + 1) * 10,
      queryServers: [
        { id: "3110@5000", name: "couchjs", cpuMs: 3200, rssBytes: 3000 * 4096 },
        { id: "3111@5001", name: "couchjs", cpuMs: 2600, rssBytes: 2800 * 4096 },
      ],
    });
    const after = couchProcesses(readLocalProcesses(join(PROC_FIXTURES, "after")), 3100, 4096)!;
    assert.equal(
      after.belowVmCpuMs,
      (430 + 740 + 95 + 1) * 10,
      "the killed couchjs's CPU is in erl_child_setup's cutime",
    );
    assert.deepEqual(
      after.queryServers.map((qs) => qs.id),
      ["3110@5000", "3130@5300"],
    );
  });

  it(
    "reads the real /proc: a process that is not a CouchDB has none",
    { skip: globalThis.process.platform !== "linux" && "needs Linux's /proc" },
    () => {
      const child = spawn("/bin/sleep", ["2"], { stdio: "ignore" });
      try {
        assert.ok(readLocalProcesses().some((p) => p.pid === child.pid));
        assert.equal(localCouchProcesses(child.pid!), undefined);
      } finally {
        child.kill();
      }
    },
  );
});
