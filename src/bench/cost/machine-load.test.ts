import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PROC_FIXTURES } from "../../test-support/proc-fixtures.js";
import { machineLoad, parseLoadAverage, parseProcStatCpu, readMachine, type MachineReading } from "./machine-load.js";

function reading(name: "before" | "after", ownCpuMs: number): MachineReading {
  return {
    cpu: parseProcStatCpu(readFileSync(join(PROC_FIXTURES, name, "stat"), "utf8"))!,
    loadAverage: parseLoadAverage(readFileSync(join(PROC_FIXTURES, name, "loadavg"), "utf8"))!,
    ownCpuMs,
  };
}

describe("how busy the machine was", () => {
  it("parses /proc/stat's all-cores line and /proc/loadavg", () => {
    assert.deepEqual(parseProcStatCpu(readFileSync(join(PROC_FIXTURES, "before", "stat"), "utf8")), {
      busy: 100000 + 200 + 20000 + 0 + 400,
      steal: 100,
      total: 100000 + 200 + 20000 + 300000 + 500 + 0 + 400 + 100,
    });
    assert.equal(parseProcStatCpu("intr 1\n"), undefined);
    assert.equal(parseLoadAverage("2.10 1.20 0.80 3/230 29100\n"), 2.1);
    assert.equal(parseLoadAverage(""), undefined);
    const fixture = readMachine(join(PROC_FIXTURES, "after"));
    assert.equal(fixture?.loadAverage, 2.1);
  });

  it("counts others' CPU as busy time minus couchbench's and CouchDB's, and warns above the threshold", () => {
    // 2000 ticks (20 s of core time) passed, 1800 busy: 18000 ms, of which couchbench 1650 and CouchDB 10350.
    const load = machineLoad(reading("before", 0), reading("after", 1650), 10350, 2);
    assert.equal(load.otherCpuMs, 6000);
    assert.equal(load.otherShare, 0.3);
    assert.equal(load.stealShare, 50 / 2000);
    assert.equal(load.loadAverageStart, 0.42);
    assert.equal(load.loadAverageEnd, 2.1);
    assert.equal(load.busy, true);
    assert.match(load.busyReason!, /other processes took 30% of the CPU/);
  });

  it("a quiet machine is not busy, however high the load average CouchDB itself caused", () => {
    const load = machineLoad(reading("before", 0), reading("after", 3000), 14000, 2);
    assert.equal(load.otherCpuMs, 1000);
    assert.equal(load.busy, false);
    assert.equal(load.busyReason, undefined);
  });

  it("without CouchDB's processes (url target) judges by steal and the load average at the start", () => {
    const load = machineLoad(reading("before", 0), reading("after", 0), undefined, 2);
    assert.equal(load.otherCpuMs, undefined);
    assert.equal(load.busy, false, "load 0.42 on 2 cores");
    const loaded = machineLoad({ ...reading("before", 0), loadAverage: 3.2 }, reading("after", 0), undefined, 2);
    assert.equal(loaded.busy, true);
    assert.equal(loaded.busyReason, "load average 3.2 on 2 cores when the build started");
  });
});
