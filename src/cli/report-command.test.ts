import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { runCli, writeInputs } from "../test-support/run-cli.js";

describe("couchbench report (the real CLI)", () => {
  const inputs = writeInputs({
    "results.json": fixtureResults({ runId: "first" }),
    "other.json": fixtureResults({ runId: "second", seed: 5 }),
    "notes.txt": "just text",
    "foreign.json": { format: "hyperfine", results: [] },
  });
  const results = inputs["results.json"]!;

  it("writes report.html beside the first input by default and says so on stderr", () => {
    const run = runCli(["report", results, inputs["other.json"]!]);
    assert.equal(run.status, 0, run.stderr);
    const path = join(dirname(results), "report.html");
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, `wrote ${path}\n`);
    const html = readFileSync(path, "utf8");
    assert.match(html, /Run <code>first<\/code>.*<code>second<\/code>/s);
  });

  it("writes to the given --output, or stdout for -", () => {
    const out = join(dirname(results), "custom.html");
    assert.equal(runCli(["report", results, "--output", out]).status, 0);
    assert.ok(existsSync(out));
    const run = runCli(["report", results, "-o", "-"]);
    assert.match(run.stdout, /^<!doctype html>/);
    assert.equal(run.stderr, "");
  });

  it("prints Markdown and CSV to stdout", () => {
    const md = runCli(["report", results, "--format", "md"]);
    assert.equal(md.status, 0);
    assert.match(md.stdout, /^### couchbench run `first` — completed/);
    const csv = runCli(["report", results, "--format", "csv"]);
    assert.equal(csv.status, 0);
    assert.equal(csv.stdout.trimEnd().split("\r\n").length, 181);
  });

  it("exits 2 with one line on bad input", () => {
    const cases: [string[], RegExp][] = [
      [
        ["report", "/nonexistent/results.json"],
        /^couchbench: cannot read results file \/nonexistent\/results\.json: no such file — pass a results\.json written by `couchbench run`\n$/,
      ],
      [
        ["report", inputs["notes.txt"]!, "--format", "md"],
        /^couchbench: .*notes\.txt is not JSON \(.*\) — pass a results\.json/,
      ],
      [
        ["report", inputs["foreign.json"]!],
        /^couchbench: .*foreign\.json is not a couchbench results file \(format "hyperfine", expected "couchbench-results"\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    }
  });

  it("refuses an unknown --format with usage exit code 2", () => {
    const run = runCli(["report", results, "--format", "pdf"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /'pdf' is invalid\. Allowed choices are html, md, csv/);
  });
});
