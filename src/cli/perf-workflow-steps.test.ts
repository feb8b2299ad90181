/**
 * The perf workflows' shell steps, run in order on this machine (src/test-support/workflow-steps.ts)
 * with `gh` replaced by a stand-in that serves artifacts: a broken step fails here, not on the
 * first nightly. The nightly job measures the CouchDB at COUCHBENCH_TEST_URL; the pull-request A/B
 * needs a CouchDB with the base build registered, so it starts a local release
 * (COUCHBENCH_TEST_COUCHDB_BIN) the way the workflow's compose step registers it in Docker; the
 * matrix merge job needs no CouchDB (its jobs' results files are given).
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalTarget } from "../couch/targets/local-target.js";
import type { StartedCouch } from "../couch/targets/target.js";
import type { ResultsFile } from "../results/results-format.js";
import { ghStandIn } from "../test-support/gh-stand-in.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { packageRoot } from "../test-support/paths.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { runJob, type JobRun } from "../test-support/workflow-steps.js";

const PERF = join(packageRoot, ".github/workflows/perf.yml");
const MATRIX = join(packageRoot, ".github/workflows/perf-matrix.yml");
const INSTALLED = "dependencies are installed: the suite runs from this checkout's build";
/** A plan small enough for a test: what the steps do is under test here, not the numbers. */
const SMALL_RUN = "--dataset small --sizes 200 --repeat 2 --update 0 --servers javascript,typescript";

/** The workflows write under results/ (ignored by git), in the checkout they run in. */
function cleanResults(): void {
  for (const dir of ["ci", "history", "baseline-download", "ab", "matrix"])
    rmSync(join(packageRoot, "results", dir), { recursive: true, force: true });
}

function assertAllRan(run: JobRun): void {
  const failures = run.steps.filter((s) => s.outcome === "failure").map((s) => `${s.label}: ${s.detail}`);
  assert.deepEqual(failures, []);
  assert.ok(run.ok);
}

const outcomes = (run: JobRun) => Object.fromEntries(run.steps.map((s) => [s.label, s.outcome]));

describe("perf.yml nightly job, step by step", { skip: liveCouchUrl ? false : SKIP_NO_URL }, () => {
  before(cleanResults);
  after(cleanResults);

  it("records a first night without a baseline, then compares the second with it and keeps both in the history", () => {
    const gh = ghStandIn();
    const context = {
      cwd: packageRoot,
      env: gh.env,
      secrets: { PERF_COUCHDB_URL: liveCouchUrl! },
      inputs: { "run-options": SMALL_RUN },
      skip: { "actions/checkout@v4": "this checkout", "actions/setup-node@v4": "this Node", "npm ci": INSTALLED },
      actions: { "actions/upload-artifact": () => undefined },
    };
    const first = runJob(PERF, "perf", context);
    assertAllRan(first);
    assert.equal(outcomes(first)["Compare with baseline"], "not run");
    assert.match(first.summary, /No baseline yet: this run only records results\./);
    assert.match(first.summary, /^\| Dataset/m);
    const history = readdirSync(join(packageRoot, "results/history")).filter((f) => f.endsWith(".json"));
    assert.equal(history.length, 1);

    // Night two: the first night is the last successful run, with its results and history.
    gh.serve(101, "perf-results", {
      "results.json": readFileSync(join(packageRoot, "results/ci/ci/results.json"), "utf8"),
    });
    gh.serve(
      101,
      "perf-history",
      Object.fromEntries(
        history.map((f) => [
          f.replace(/^\d+-\d+/, "20251127-031700"),
          readFileSync(join(packageRoot, "results/history", f), "utf8"),
        ]),
      ),
    );
    rmSync(join(packageRoot, "results/ci"), { recursive: true });
    rmSync(join(packageRoot, "results/history"), { recursive: true });
    const second = runJob(PERF, "perf", context);
    assertAllRan(second);
    assert.equal(outcomes(second)["Compare with baseline"], "success");
    assert.match(second.summary, /Baseline: run 101/);
    assert.match(second.summary, /### couchbench comparison/);
    assert.match(second.summary, /÷ javascript/);
    // 200 small documents build in far less than the 1 s gate: shown, not gated, so no verdict.
    assert.match(second.summary, /\*\*Nothing gated: no point has builds of 1\.00 s or more/);
    assert.equal(readdirSync(join(packageRoot, "results/history")).filter((f) => f.endsWith(".json")).length, 2);
    assert.match(readFileSync(join(packageRoot, "results/history/report.html"), "utf8"), /documents: history<\/h2>/);
    const calls = readFileSync(join(gh.artifacts, "calls.log"), "utf8");
    assert.match(calls, /^gh run list --workflow perf\.yml --branch main --status success --limit 1 /m);
    assert.match(calls, /^gh run download 101 --name perf-results --dir results\/baseline-download$/m);
    assert.match(calls, /^gh run download 101 --name perf-history --dir results\/history$/m);
  });
});

describe("perf.yml pull-request A/B job, step by step", { skip: liveCouchBin ? false : SKIP_NO_BIN }, () => {
  let couch: StartedCouch | undefined;
  const base = mkdtempSync(join(tmpdir(), "couchbench-base-"));

  before(async () => {
    cleanResults();
    // The base checkout: this very build (an A/A), registered as the workflow's compose step does.
    symlinkSync(join(packageRoot, "dist"), join(base, "dist"));
    process.env.COUCHDB_QUERY_SERVER_TYPESCRIPT_BASE = `${process.execPath} ${join(base, "dist/query-server.js")}`;
    couch = await new LocalTarget("local", liveCouchBin!).start(() => undefined);
  });

  after(async () => {
    await couch?.stop();
    cleanResults();
  });

  it("builds typescript_base and typescript interleaved and compares head with base", () => {
    const run = runJob(PERF, "pr-ab", {
      cwd: packageRoot,
      env: {
        COUCHDB_URL: couch!.url,
        BASE_DIR: base,
        AB_RUN_OPTIONS: "--dataset small --sizes 200 --repeat 2 --update 0",
      },
      github: { event_name: "pull_request" },
      skip: {
        "actions/checkout@v4": "this checkout (and the base: a link to this build)",
        "actions/setup-node@v4": "this Node",
        "npm ci": INSTALLED,
        "Build the base commit's query server": INSTALLED,
        "Start CouchDB with both query servers":
          "needs the image built from Docker Hub's couchdb; a local release with the same COUCHDB_QUERY_SERVER_TYPESCRIPT_BASE stands in",
        "Stop CouchDB": "the test stops its local release",
      },
      actions: { "actions/upload-artifact": () => undefined },
    });
    assertAllRan(run);
    assert.equal(outcomes(run)["Compare head with base"], "success");
    const results = JSON.parse(readFileSync(join(packageRoot, "results/ab/ab/results.json"), "utf8")) as ResultsFile;
    assert.deepEqual([...new Set(results.measurements.map((m) => m.server))].sort(), [
      "javascript",
      "typescript",
      "typescript_base",
    ]);
    assert.ok(results.measurements.every((m) => m.status === "completed" && m.correctness.status !== "mismatch"));
    assert.match(run.summary, /### couchbench comparison/);
    assert.match(run.summary, /^\| small +\| +200 \| typescript +\|/m);
  });
});

describe("perf-matrix.yml merge job, step by step", () => {
  /** One matrix job's artifact: the fixture's run, one CouchDB version, on its own runner. */
  const jobFile = (version: string, overrides: Partial<ResultsFile["plan"]> = {}) => {
    const file = fixtureResults({
      runId: `couchdb-${version}`,
      hostname: `fv-az${version.replace(/\./g, "")}`,
      seed: version.length + Number(version.at(-1)),
    });
    return JSON.stringify({
      ...file,
      plan: { ...file.plan, ...overrides },
      targets: file.targets.filter((t) => t.couchdbVersion === version),
      measurements: file.measurements.filter((m) => m.couchdbVersion === version),
    });
  };
  const jobsDir = join(packageRoot, "results/matrix/jobs");
  const download = (files: Record<string, string>) => () => {
    for (const [version, text] of Object.entries(files)) {
      mkdirSync(join(jobsDir, `perf-matrix-${version}`), { recursive: true });
      writeFileSync(join(jobsDir, `perf-matrix-${version}`, "results.json"), text);
    }
  };
  const context = (gh: ReturnType<typeof ghStandIn>, files: Record<string, string>) => ({
    cwd: packageRoot,
    env: gh.env,
    skip: { "actions/checkout@v4": "this checkout", "actions/setup-node@v4": "this Node", "npm ci": INSTALLED },
    actions: { "actions/download-artifact": download(files), "actions/upload-artifact": () => undefined },
  });

  before(cleanResults);
  after(cleanResults);

  it("merges the per-version files into one report and compares it relative to couchjs", () => {
    const gh = ghStandIn();
    const baseline = fixtureResults({ runId: "matrix", seed: 11 });
    gh.serve(7, "perf-matrix-merged", { "results.json": JSON.stringify(baseline) });
    const run = runJob(MATRIX, "merge", context(gh, { "3.4.3": jobFile("3.4.3"), "3.5.0": jobFile("3.5.0") }));
    assertAllRan(run);
    const merged = JSON.parse(
      readFileSync(join(packageRoot, "results/matrix/merged/results.json"), "utf8"),
    ) as ResultsFile;
    assert.deepEqual(merged.targets.map((t) => t.couchdbVersion).sort(), ["3.4.3", "3.5.0"]);
    assert.ok(existsSync(join(packageRoot, "results/matrix/merged/report.html")));
    assert.match(run.summary, /Baseline: run 7/);
    assert.match(run.summary, /runs are from different machines|Runs are from different machines/);
    assert.match(
      run.summary,
      /\*\*No regression: no gated point \(\d+ of 60\) is slower than \+10\.0% relative to javascript/,
    );
    cleanResults();
  });

  it("stops at the merge, saying why, when the jobs ran different plans", () => {
    const gh = ghStandIn();
    const run = runJob(
      MATRIX,
      "merge",
      context(gh, { "3.4.3": jobFile("3.4.3"), "3.5.0": jobFile("3.5.0", { sizes: [100] }) }),
    );
    assert.equal(run.ok, false);
    const merge = run.steps.find((s) => s.label === "Merge, report")!;
    assert.equal(merge.outcome, "failure");
    assert.match(
      merge.detail!,
      /couchbench: cannot merge couchdb-3\.5\.0 with couchdb-3\.4\.3: their plans differ in sizes — run every job with the same options/,
    );
    assert.equal(outcomes(run)["Compare with baseline"], "not run");
  });
});
