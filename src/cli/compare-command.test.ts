import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { runCli, writeInputs } from "../test-support/run-cli.js";
import { UsageError } from "../core/errors.js";
import { parseThreshold } from "./compare-command.js";

describe("parseThreshold", () => {
  it("accepts a percentage or a fraction", () => {
    assert.equal(parseThreshold("10%"), 0.1);
    assert.equal(parseThreshold("2.5%"), 0.025);
    assert.equal(parseThreshold("0.1"), 0.1);
    assert.equal(parseThreshold(".05"), 0.05);
    assert.equal(parseThreshold("0%"), 0);
  });

  it("refuses anything else with the fix", () => {
    for (const bad of ["10", "ten", "-5%", "", "1.5", "10%%"]) {
      assert.throws(
        () => parseThreshold(bad),
        (error: Error) => {
          assert.ok(error instanceof UsageError);
          assert.match(
            error.message,
            /^--threshold ".*" is not a slowdown limit — write a percentage like 10% or a fraction like 0\.1$/,
          );
          return true;
        },
      );
    }
  });
});

/** The fixture's builds are mostly shorter than the 1 s gate: judge every point. */
const ALL = ["--min-build-time", "0"];

describe("couchbench compare (the real CLI)", () => {
  const inputs = writeInputs({
    "baseline.json": fixtureResults({ seed: 1 }),
    "same.json": fixtureResults({ seed: 2 }),
    "slower.json": fixtureResults({
      seed: 2,
      slowdown: (p) => (p.server === "typescript" && p.docCount === 1_000 ? 1.4 : 1),
    }),
    "elsewhere.json": fixtureResults({ seed: 2, hostname: "laptop" }),
    "broken.json": "{ not json",
    "v2.json": { ...fixtureResults(), formatVersion: 2 },
  });

  it("exits 0 when nothing is slower than the threshold", () => {
    const run = runCli(["compare", inputs["baseline.json"]!, inputs["same.json"]!, ...ALL]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /No regression: no gated point \(\d+ of \d+\) is slower than \+10\.0% with 95% confidence\.\n$/,
    );
    assert.equal(run.stderr, "");
  });

  it("exits 1 on a regression, printing the comparison first", () => {
    const run = runCli(["compare", inputs["baseline.json"]!, inputs["slower.json"]!, ...ALL]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /SLOWER/);
    assert.match(run.stdout, /Regression: 8 points are slower than \+10\.0%/);
    assert.equal(run.stderr, "");
  });

  it("honours the threshold: a 40% slowdown passes a 50% limit", () => {
    assert.equal(
      runCli(["compare", inputs["baseline.json"]!, inputs["slower.json"]!, ...ALL, "--threshold", "50%"]).status,
      0,
    );
    assert.equal(
      runCli(["compare", inputs["baseline.json"]!, inputs["slower.json"]!, ...ALL, "--threshold", "0.2"]).status,
      1,
    );
  });

  it("writes Markdown for CI with --format md", () => {
    const run = runCli(["compare", inputs["baseline.json"]!, inputs["slower.json"]!, ...ALL, "--format", "md"]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^### couchbench comparison\n/);
    assert.match(run.stdout, /🔴 \*\*slower\*\*/);
  });

  it("warns when the runs come from different machines", () => {
    const run = runCli(["compare", inputs["baseline.json"]!, inputs["elsewhere.json"]!, ...ALL]);
    assert.equal(run.status, 0);
    assert.match(
      run.stdout,
      /^warning: runs are from different machines or CouchDB setups \(host\.hostname fv-az1234-567 → laptop\)/,
    );
  });

  it("exits 2 with one line on bad input", () => {
    const cases: [string[], RegExp][] = [
      [
        ["compare", "/nonexistent.json", inputs["same.json"]!],
        /^couchbench: cannot read results file \/nonexistent\.json: no such file — /,
      ],
      [["compare", inputs["baseline.json"]!, inputs["broken.json"]!], /^couchbench: .*broken\.json is not JSON/],
      [
        ["compare", inputs["v2.json"]!, inputs["same.json"]!],
        /^couchbench: .*v2\.json has formatVersion 2, this couchbench reads 1/,
      ],
      [
        ["compare", inputs["baseline.json"]!, inputs["same.json"]!, "--threshold", "10"],
        /^couchbench: --threshold "10" is not a slowdown limit/,
      ],
      [
        ["compare", inputs["baseline.json"]!, inputs["same.json"]!, "--metric", "qs-cpu"],
        /^couchbench: --metric qs-cpu: .*baseline\.json has no query-server CPU times — the local and docker targets record them, a --url server cannot; use --metric wall/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      assert.equal(run.stdout, "");
    }
  });
});
