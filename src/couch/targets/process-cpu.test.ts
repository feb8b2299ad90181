import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { localQueryServerCpuMs, parseProcStat, queryServerCpuMs } from "./process-cpu.js";

/** A /proc/<pid>/stat line as Linux writes it (52 fields), with utime..cstime as given. */
function statLine(pid: number, name: string, parent: number, [utime, stime, cutime, cstime]: number[]): string {
  return `${pid} (${name}) S ${parent} ${pid} ${pid} 0 -1 4194560 900 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 11 0 5000 1000000 2000 ${"0 ".repeat(29).trim()}`;
}

describe("query servers' CPU time from /proc", () => {
  it("parses a stat line whose command name holds spaces and parentheses", () => {
    assert.deepEqual(parseProcStat(statLine(4242, "node (qs) x", 4200, [150, 30, 12, 8])), {
      pid: 4242,
      parent: 4200,
      name: "node (qs) x",
      ticks: 200,
    });
    assert.equal(parseProcStat(""), undefined);
  });

  it("sums what runs below the Erlang VM, not the VM, and nothing outside it", () => {
    const processes = [
      { pid: 1, parent: 0, name: "tini", ticks: 1000 },
      { pid: 10, parent: 1, name: "beam.smp", ticks: 5000 }, // busy-waiting schedulers: not counted
      { pid: 11, parent: 10, name: "erl_child_setup", ticks: 7 }, // includes query servers it reaped
      { pid: 12, parent: 11, name: "couchjs", ticks: 100 },
      { pid: 13, parent: 11, name: "node", ticks: 40 },
      { pid: 20, parent: 1, name: "sh", ticks: 400 }, // a docker exec: not CouchDB's
    ];
    assert.equal(queryServerCpuMs(processes, 1), 1470);
    assert.equal(queryServerCpuMs(processes, 10), 1470);
    assert.equal(queryServerCpuMs(processes, 20), undefined, "no Erlang VM there");
  });

  it(
    "reads the real /proc: a process that is not a CouchDB has no query-server time",
    { skip: process.platform !== "linux" && "needs Linux's /proc" },
    async () => {
      const child = spawn("/bin/sleep", ["2"], { stdio: "ignore" });
      try {
        assert.equal(await localQueryServerCpuMs(child.pid!), undefined);
      } finally {
        child.kill();
      }
    },
  );
});
