import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResultsFile } from "../results/results-format.js";
import { fixtureResults, type FixtureOptions } from "../test-support/results-fixture.js";
import { compareResults } from "./compare.js";
import { mergeResults } from "./merge-results.js";

/** What one matrix job writes: the fixture's run, keeping one CouchDB version. */
function job(version: string, options: FixtureOptions = {}): ResultsFile {
  const file = fixtureResults({ runId: `ci-${version}`, ...options });
  return {
    ...file,
    targets: file.targets.filter((t) => t.couchdbVersion === version),
    measurements: file.measurements.filter((m) => m.couchdbVersion === version),
  };
}

describe("mergeResults", () => {
  it("joins one plan's files into one run, as if one job had measured every version", () => {
    const merged = mergeResults([job("3.4.3"), job("3.5.0")]);
    const whole = fixtureResults();
    assert.equal(merged.runId, "ci-3.4.3+ci-3.5.0");
    assert.deepEqual(
      merged.targets.map((t) => t.couchdbVersion),
      ["3.4.3", "3.5.0"],
    );
    assert.equal(merged.measurements.length, whole.measurements.length);
    assert.match(
      merged.notes[0]!.message,
      /^merged from run ci-3\.4\.3 \(completed; CouchDB 3\.4\.3\) on fv-az1234-567, 4 × AMD EPYC/,
    );
    assert.equal(compareResults(whole, merged, { threshold: 0.1 }).points.length, 60);
  });

  it("refuses files of different plans, naming the fields", () => {
    const other = job("3.5.0");
    other.plan = { ...other.plan, sizes: [100], seed: 7 };
    assert.throws(() => mergeResults([job("3.4.3"), other]), {
      message:
        "cannot merge ci-3.5.0 with ci-3.4.3: their plans differ in sizes, seed — run every job with the same options (only the CouchDB version may differ)",
    });
  });

  it("refuses different machines unless only relative figures will be read", () => {
    const files = [job("3.4.3"), job("3.5.0", { hostname: "fv-az999-1", cpuModel: "AMD EPYC 9V74" })];
    assert.throws(
      () => mergeResults(files),
      /^Error: cannot merge ci-3\.5\.0 with ci-3\.4\.3: measured on different machines \(cpuModel AMD EPYC 7763 64-Core Processor vs AMD EPYC 9V74, hostname fv-az1234-567 vs fv-az999-1\), so their build times are not comparable — pass --across-machines/,
    );
    const merged = mergeResults(files, { acrossMachines: true, runId: "nightly" });
    assert.equal(merged.runId, "nightly");
    assert.match(merged.notes[1]!.message, /on fv-az999-1, 4 × AMD EPYC 9V74$/);
  });

  it("refuses a CouchDB version measured by two files, and a single file", () => {
    assert.throws(() => mergeResults([job("3.4.3"), job("3.4.3", { runId: "again" })]), {
      message: "cannot merge again with ci-3.4.3: both measured CouchDB 3.4.3 — merge one file per CouchDB version",
    });
    assert.throws(() => mergeResults([job("3.4.3")]), /merge needs two or more results files/);
  });

  it("keeps the worst status: a failed job makes the merged run failed", () => {
    const failed = { ...job("3.5.0"), status: "failed" as const };
    assert.equal(mergeResults([job("3.4.3"), failed]).status, "failed");
  });
});
