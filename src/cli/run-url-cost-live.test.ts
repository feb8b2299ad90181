/**
 * A url target served from this machine is measured like a local one: couchbench finds CouchDB's
 * Erlang VM by the socket listening on the url's port, records its CPU and memory, and judges the
 * machine busy by others' CPU share rather than by the load average its own builds raise.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { findCouchVm } from "../couch/targets/listening-process.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { readValidResults } from "../test-support/results-schema.js";
import { runCli } from "../test-support/run-cli.js";

const couchVm = liveCouchUrl && process.platform === "linux" ? findCouchVm(liveCouchUrl) : undefined;
const skip = !liveCouchUrl
  ? SKIP_NO_URL
  : process.platform !== "linux"
    ? "needs Linux's /proc"
    : couchVm?.pid === undefined
      ? `COUCHBENCH_TEST_URL's CouchDB is not a process of this machine: ${couchVm?.reason}`
      : false;

describe("a url target's cost, live", { skip }, () => {
  it("finds CouchDB's process on this machine and records its CPU, memory and others' share", async () => {
    const out = await mkdtemp(join(tmpdir(), "couchbench-url-cost-"));
    // Its database is named after the run: unique on a CouchDB others use too.
    const runId = `url-cost-${randomBytes(3).toString("hex")}`;
    try {
      const result = runCli(
        [
          ...["run", "--url", liveCouchUrl!, "--servers", "javascript", "--dataset", "small", "--sizes", "1000"],
          ...["--repeat", "1", "--update", "0", "--no-verify", "--out", out, "--run-id", runId],
        ],
        { timeoutMs: 180_000 },
      );
      assert.equal(result.status, 0, result.stderr);
      const results = await readValidResults(join(out, runId, "results.json"));
      const [m] = results.measurements;
      assert.equal(m?.status, "completed", m?.error);
      const { cost, machine, queryServerCpuMs } = m!.build!;
      assert.ok(cost!.beamCpuMs! > 0, `CouchDB's VM used CPU: ${JSON.stringify(cost)}`);
      assert.ok(queryServerCpuMs! > 0, "couchjs below the VM used CPU");
      assert.ok(cost!.beamPeakRssBytes! > 10 * 2 ** 20, "beam holds more than 10 MiB");
      assert.ok(cost!.queryServerProcesses!.served >= 1);
      assert.deepEqual(cost!.absent?.fields, ["peakDiskGrowthBytes"], "only the index files are not read");
      assert.ok(machine!.otherShare !== undefined, "others' share is known, so the load average does not decide");
      assert.doesNotMatch(machine!.busyReason ?? "", /load average/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
