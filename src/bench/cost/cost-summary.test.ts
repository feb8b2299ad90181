import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { couchProcesses, readLocalProcesses } from "../../couch/targets/process-cpu.js";
import type { NodeProcesses } from "../../couch/targets/target.js";
import { PROC_FIXTURES } from "../../test-support/proc-fixtures.js";
import { processCounts, summariseCost, type CostSample } from "./cost-summary.js";

const PAGE = 4096;

function snapshot(name: "before" | "after", node = "couchdb@127.0.0.1"): NodeProcesses {
  return { node, ...couchProcesses(readLocalProcesses(join(PROC_FIXTURES, name)), 3100, PAGE)! };
}

describe("a build's cost from its samples", () => {
  it("counts a killed and restarted query server as exited and started", () => {
    const { servedIds, ...counts } = processCounts([snapshot("before"), snapshot("after")]);
    assert.deepEqual(counts, { served: 3, started: 1, exited: 1 });
    assert.deepEqual([...servedIds].sort(), ["3110@5000", "3111@5001", "3130@5300"]);
  });

  it("does not count idle processes as serving, nor their presence as a start", () => {
    const before = snapshot("before");
    assert.equal(processCounts([before, before, before]).served, 0);
    assert.equal(processCounts([before, before, before]).started, 0);
  });

  it("takes CPU from the first and last samples, peaks from all, disk growth over the first", () => {
    const before = snapshot("before");
    const after = snapshot("after");
    // A sample in the middle with more resident memory than either end, and an idle process that never serves.
    const idle = { id: "3140@4100", name: "node", cpuMs: 10, rssBytes: 50000 * PAGE };
    const middle: NodeProcesses = {
      ...before,
      beam: { ...before.beam, rssBytes: 30000 * PAGE },
      queryServers: [
        ...before.queryServers,
        { id: "3130@5300", name: "couchjs", cpuMs: 0, rssBytes: 9000 * PAGE },
        idle,
      ],
    };
    before.queryServers.push(idle);
    after.queryServers.push(idle);
    const samples: CostSample[] = [
      { atMs: 0, nodes: [before], diskBytes: 1000, erlangMemoryBytes: 50e6, osProcesses: 2 },
      { atMs: 250, nodes: [middle], diskBytes: 9000, erlangMemoryBytes: 80e6, osProcesses: 3 },
      { atMs: 500, nodes: [after], diskBytes: 5000, erlangMemoryBytes: 60e6, osProcesses: 2 },
    ];
    const { cost, queryServerCpuMs, couchCpuMs } = summariseCost(samples, 250);
    assert.equal(cost.beamCpuMs, (950 - 600) * 10);
    assert.equal(queryServerCpuMs, (430 + 740 + 95 + 1 - (320 + 260 + 1)) * 10);
    assert.equal(couchCpuMs, (2216 - 1181) * 10);
    assert.equal(cost.beamPeakRssBytes, 30000 * PAGE);
    assert.equal(cost.queryServerPeakRssBytes, (3000 + 2800 + 9000) * PAGE);
    assert.equal(cost.queryServerLargestRssBytes, 9000 * PAGE);
    assert.deepEqual(cost.queryServerProcesses, { served: 3, started: 1, exited: 1 });
    assert.equal(cost.peakDiskGrowthBytes, 8000);
    assert.equal(cost.erlangMemoryPeakBytes, 80e6);
    assert.equal(cost.osProcessesPeak, 3);
    assert.equal(cost.samples, 3);
    assert.equal(cost.nodes, undefined, "one node: no per-node detail");
  });

  it("sums a cluster's nodes, peaks at the same moment, and keeps each node's figures", () => {
    const samples: CostSample[] = [
      { atMs: 0, nodes: [snapshot("before", "a"), snapshot("before", "b")] },
      { atMs: 250, nodes: [snapshot("after", "a"), snapshot("after", "b")] },
    ];
    const { cost } = summariseCost(samples, 250);
    assert.equal(cost.beamCpuMs, 2 * 3500);
    assert.equal(cost.beamPeakRssBytes, 2 * 24000 * PAGE);
    assert.deepEqual(cost.queryServerProcesses, { served: 6, started: 2, exited: 2 });
    assert.deepEqual(
      cost.nodes?.map((node) => node.node),
      ["a", "b"],
    );
  });

  it("without process samples (a url target) has only what the HTTP API gave", () => {
    const { cost, queryServerCpuMs } = summariseCost(
      [
        { atMs: 0, erlangMemoryBytes: 5 },
        { atMs: 250, erlangMemoryBytes: 7 },
      ],
      250,
    );
    assert.deepEqual(cost, { sampleIntervalMs: 250, samples: 2, erlangMemoryPeakBytes: 7 });
    assert.equal(queryServerCpuMs, undefined);
  });
});
