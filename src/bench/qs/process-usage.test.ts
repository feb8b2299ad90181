import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProcStat, parseVmHwmBytes, processTree, readProcessUsage } from "./process-usage.js";

describe("/proc parsing", () => {
  it("reads ppid and utime+stime+cutime+cstime, even with spaces and ) in the command name", () => {
    const stat = "4242 (node (x) y) S 4200 4242 4200 0 -1 4194304 1 0 0 0 150 25 3 2 20 0 11 0 100 0 0";
    assert.deepEqual(parseProcStat(stat), { pid: 4242, ppid: 4200, cpuTicks: 180 });
  });

  it("reads VmHWM in bytes, 0 when absent", () => {
    assert.equal(parseVmHwmBytes("Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t   51200 kB\nVmRSS:\t 1 kB\n"), 51200 * 1024);
    assert.equal(parseVmHwmBytes("Name:\tkthreadd\n"), 0);
  });

  it("finds a process and all its descendants", () => {
    const stats = [
      { pid: 1, ppid: 0, cpuTicks: 0 },
      { pid: 10, ppid: 1, cpuTicks: 0 },
      { pid: 11, ppid: 10, cpuTicks: 0 },
      { pid: 12, ppid: 11, cpuTicks: 0 },
      { pid: 20, ppid: 1, cpuTicks: 0 },
    ];
    assert.deepEqual(processTree(10, stats), [10, 11, 12]);
  });

  it(
    "measures this very process on Linux and gives up quietly on a pid that does not exist",
    { skip: process.platform !== "linux" },
    async () => {
      const usage = await readProcessUsage(process.pid);
      assert.ok(usage && usage.peakMemoryBytes > 0 && usage.cpuMs >= 0);
      assert.equal(await readProcessUsage(2 ** 22 + 1), undefined);
    },
  );
});
