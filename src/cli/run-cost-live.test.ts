/**
 * What a build costs, against a private CouchDB node (--target local): a query server killed with
 * kill -9 mid-build shows as an exit and a start on that measurement, with its CPU, memory, index,
 * disk and compaction recorded; a run with every core loaded on purpose is warned about, and a run
 * on a quiet machine is not.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { loadavg, availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { readLocalProcesses, type ProcessTimes } from "../couch/targets/process-cpu.js";
import { liveCouchBin, SKIP_NO_BIN } from "../test-support/live-couch.js";
import { readValidResults } from "../test-support/results-schema.js";
import { runCli, startCli } from "../test-support/run-cli.js";

const skip = !liveCouchBin ? SKIP_NO_BIN : process.platform !== "linux" ? "needs Linux's /proc" : false;

function runArgs(out: string, runId: string, extra: string[]): string[] {
  return [
    "run",
    "--target",
    "local",
    "--couchdb-bin",
    liveCouchBin!,
    "--servers",
    "javascript",
    "--repeat",
    "1",
    "--update",
    "0",
    "--no-verify",
    "--out",
    out,
    "--run-id",
    runId,
    ...extra,
  ];
}

/** A couchjs below `root` that has done real work (the probe's does almost none): one mapping documents. */
function busyCouchjs(root: number): ProcessTimes | undefined {
  const processes = readLocalProcesses();
  const parents = new Map(processes.map((p) => [p.pid, p.parent]));
  const below = (pid: number) => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return processes.find((p) => p.name === "couchjs" && p.selfTicks >= 20 && below(p.pid));
}

describe("a build's cost, live", { skip }, () => {
  it("shows a query server killed mid-build as an exit and a restart, with the build's cost and compaction", async () => {
    const out = await mkdtemp(join(tmpdir(), "couchbench-cost-"));
    const cli = startCli(runArgs(out, "kill", ["--dataset", "medium", "--sizes", "8000", "--compact"]));
    await cli.waitFor(/medium × 8,000: loading/);
    let killed: number | undefined;
    for (let waited = 0; killed === undefined && waited < 180_000; waited += 100) {
      const couchjs = busyCouchjs(cli.child.pid!);
      if (couchjs) {
        process.kill(couchjs.pid, "SIGKILL");
        killed = couchjs.pid;
      } else await sleep(100);
    }
    const { status } = await cli.exited;
    assert.ok(killed, `no couchjs of this run did any work:\n${cli.stderr()}`);
    assert.equal(status, 0, cli.stderr());
    assert.match(cli.stderr(), /⚠ 1 query-server process exited mid-build \(a crash, kill or timeout; \d+ started\)/);
    const results = await readValidResults(join(out, "kill", "results.json"));
    const [m] = results.measurements;
    assert.equal(m?.status, "completed", m?.error);
    const cost = m!.build!.cost!;
    assert.equal(cost.queryServerProcesses?.exited, 1);
    assert.ok(cost.queryServerProcesses!.started >= 1, "CouchDB started a new couchjs");
    assert.ok(cost.beamCpuMs! > 0 && m!.build!.queryServerCpuMs! > 0);
    assert.ok(cost.beamPeakRssBytes! > 10 * 2 ** 20, "beam holds more than 10 MiB");
    assert.ok(cost.queryServerPeakRssBytes! > 0 && cost.queryServerLargestRssBytes! <= cost.queryServerPeakRssBytes!);
    assert.ok(cost.index!.fileBytes > 0 && cost.peakDiskGrowthBytes! > 0);
    assert.equal(cost.absent, undefined);
    assert.ok(m!.compaction!.ms > 0 && m!.compaction!.after.fileBytes > 0);
    assert.ok(m!.build!.machine!.cpuCores >= 1);
  });

  it("warns about a run on a machine whose cores are loaded on purpose", async () => {
    const out = await mkdtemp(join(tmpdir(), "couchbench-cost-"));
    const loops: ChildProcess[] = Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
    );
    try {
      const result = runCli(runArgs(out, "busy", ["--dataset", "small", "--sizes", "3000"]), { timeoutMs: 180_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, /⚠ busy machine: other processes took \d+% of the CPU/);
      assert.match(result.stdout + result.stderr, /ran on a busy machine/);
      const results = await readValidResults(join(out, "busy", "results.json"));
      assert.equal(results.measurements[0]!.build!.machine!.busy, true);
    } finally {
      for (const loop of loops) loop.kill("SIGKILL");
    }
  });

  it(
    "does not warn on a quiet machine",
    {
      skip:
        loadavg()[0]! / availableParallelism() > 0.3 &&
        `the machine is not quiet now (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    },
    async () => {
      const out = await mkdtemp(join(tmpdir(), "couchbench-cost-"));
      const result = runCli(runArgs(out, "quiet", ["--dataset", "small", "--sizes", "3000"]), { timeoutMs: 180_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /busy machine/);
    },
  );
});
