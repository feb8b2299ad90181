/** The scheduled CI perf job: valid against the GitHub Actions schema, and doing what it promises. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { validateWorkflow } from "@action-validator/core";

const WORKFLOW = new URL("../../.github/workflows/perf.yml", import.meta.url);
const MATRIX = new URL("../../.github/workflows/perf-matrix.yml", import.meta.url);

describe(".github/workflows/perf.yml", () => {
  const text = readFileSync(WORKFLOW, "utf8");

  it("validates against the GitHub Actions workflow schema", () => {
    const state = validateWorkflow(text);
    assert.equal(state.actionType, "workflow");
    assert.deepEqual(state.errors, []);
  });

  it("the validator does catch a broken workflow (so the check above means something)", () => {
    const broken = text.replace("\njobs:\n", "\njob:\n");
    assert.notDeepEqual(validateWorkflow(broken).errors, []);
  });

  it("runs nightly and on manual dispatch with optional inputs", () => {
    assert.match(text, /^on:\n {2}schedule:\n {4}- cron: "\d+ \d+ \* \* \*"/m);
    assert.match(text, /^ {2}workflow_dispatch:\n {4}inputs:\n {6}couchdb-versions:/m);
    assert.match(text, /^ {4}timeout-minutes: \d+$/m);
  });

  it("can read the previous run's artifacts", () => {
    assert.match(text, /^permissions:\n {2}contents: read\n {2}actions: read/m);
    assert.match(text, /GH_TOKEN: \$\{\{ github\.token \}\}/);
    assert.match(text, /gh run list --workflow perf\.yml --branch main --status success --limit 1/);
    assert.match(text, /gh run download "\$run_id" --name perf-results/);
    assert.match(text, /results\/baseline\/ci\.json/);
  });

  it("installs, benchmarks, uploads, summarises and compares", () => {
    const order = [
      "uses: actions/checkout@v4",
      "node-version: 20",
      "run: npm ci",
      'npx couchbench run "${args[@]}"',
      "uses: actions/upload-artifact@v4",
      'npx couchbench report "$RESULTS" --format md >> "$GITHUB_STEP_SUMMARY"',
      'npx couchbench compare "$BASELINE" "$RESULTS" --relative-to javascript --min-build-time 1 --format md --threshold "$THRESHOLD" >> "$GITHUB_STEP_SUMMARY"',
    ].map((step) => {
      const at = text.indexOf(step);
      assert.ok(at >= 0, `missing: ${step}`);
      return at;
    });
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      "steps in this order",
    );
    assert.match(text, /args=\(--profile ci --out results\/ci --run-id ci\)/);
    assert.match(text, /results\/ci\/ci\/results\.json\n {12}results\/ci\/ci\/report\.html/);
    assert.match(text, /THRESHOLD: \$\{\{ inputs\.threshold \|\| '10%' \}\}/);
  });
});

describe(".github/workflows/perf-matrix.yml", () => {
  const text = readFileSync(MATRIX, "utf8");

  it("validates against the GitHub Actions workflow schema", () => {
    assert.deepEqual(validateWorkflow(text).errors, []);
  });

  it("runs one job per CouchDB version, then merges them whatever their outcome", () => {
    assert.match(text, /^ {6}fail-fast: false\n {6}matrix:\n {8}couchdb: \["3\.3\.3", "3\.4\.3", "3\.5\.2"\]$/m);
    assert.match(text, /^ {2}merge:\n {4}needs: measure\n {4}if: always\(\)$/m);
    assert.match(text, /npx couchbench merge results\/matrix\/jobs\/\*\/results\.json --across-machines/);
    assert.match(text, /--relative-to javascript/);
  });
});
