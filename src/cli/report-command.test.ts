import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { runCli, writeInputs } from "../test-support/run-cli.js";
import { packageRoot } from "../test-support/paths.js";
import type { AdviseResults } from "../results/advise-format.js";
import type { IngestResults } from "../results/ingest-format.js";
import { formatCount, formatMs } from "../report/format.js";

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

describe("couchbench report on advise.json (the real CLI, the published advise run)", () => {
  const advisePath = join(packageRoot, "results", "published", "advise-classic", "advise.json");
  const advise = JSON.parse(readFileSync(advisePath, "utf8")) as AdviseResults;
  const inputs = writeInputs({ "results.json": fixtureResults({ runId: "build" }) });
  const tmp = dirname(inputs["results.json"]!);

  it("--format md prints advise's ranked table: every variant, numbered, with its speed-up", () => {
    const run = runCli(["report", "--format", "md", advisePath]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^## couchbench advise — ${advise.plan.designDocId} on ${advise.plan.docCount.toLocaleString("en-US")} ${advise.plan.dataset} documents\n`,
      ),
    );
    const rows = run.stdout.split("\n").filter((line) => /^\| \d+ /.test(line));
    assert.equal(rows.length, advise.variants.length);
    for (const variant of advise.variants) {
      const row = rows.find((line) => line.includes(`| ${variant.title}`));
      assert.ok(row, `${variant.title} is ranked`);
      if (variant.speedup) assert.ok(row.includes(`${variant.speedup.value.toFixed(2)}×`), row);
    }
    // Ranked: the original first, then the faster variants, best first.
    const faster = advise.variants
      .filter((v) => v.verdict === "faster")
      .sort((a, b) => b.speedup!.value - a.speedup!.value);
    assert.ok(rows[0]!.startsWith("| 1   | your design doc as it is"), rows[0]);
    faster.forEach((variant, i) => assert.ok(rows[i + 1]!.includes(variant.title), `#${i + 2}: ${variant.title}`));
  });

  it("--format html writes advise's page; csv and --columns are refused in one line", () => {
    const out = join(tmp, "advise.html");
    const html = runCli(["report", advisePath, "-o", out]);
    assert.equal(html.status, 0, html.stderr);
    assert.match(readFileSync(out, "utf8"), /^<!doctype html>[\s\S]*couchbench advise — _design\/classic/);
    const refused: [string[], RegExp][] = [
      [["--format", "csv"], /^couchbench: --format csv: advise results render as html or md/],
      [
        ["--format", "md", "--columns", "server"],
        /^couchbench: --columns pivots the builds table of results\.json files/,
      ],
      [["--format", "md", inputs["results.json"]!], /^couchbench: .*results\.json is not an advise results file/],
    ];
    for (const [args, message] of refused) {
      const run = runCli(["report", advisePath, ...args]);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    }
    const mixed = runCli(["report", "--format", "md", inputs["results.json"]!, advisePath]);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /^couchbench: .*advise\.json holds advise results and .*results\.json does not/);
  });
});

describe("couchbench report --columns (the real CLI)", () => {
  const mango = join(packageRoot, "results", "published", "mango-medium", "results.json");

  it("pivots the Markdown table on the dimension given", () => {
    const run = runCli(["report", "--format", "md", "--columns", "server", mango]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^\| Dataset \| Docs \| +javascript \| +erlang \| +mango \| +quickjs \| +typescript \|$/m);
  });

  it("refuses an unknown dimension, or a format other than md, in one line naming the fix", () => {
    const cases: [string[], RegExp][] = [
      [
        ["--format", "md", "--columns", "engine"],
        /^couchbench: --columns engine: not a dimension — use one of server, couchdb, ids, ddoc, q, n, config\n$/,
      ],
      [
        ["--columns", "server"],
        /^couchbench: --columns pivots the Markdown table; --format html .* use --format md\n$/,
      ],
      [["--format", "csv", "--columns", "server"], /^couchbench: --columns pivots the Markdown table; --format csv/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(["report", mango, ...args]);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.stderr, message);
    }
  });
});

describe("couchbench report --columns server on ingest results (the real CLI)", () => {
  const path = join(packageRoot, "results", "published", "ingest-reader-medium", "ingest.json");
  const results = JSON.parse(readFileSync(path, "utf8")) as IngestResults;

  it("gives each step's lag p95 and outcome in its rate's row and its server's column", () => {
    const run = runCli(["report", "--format", "md", "--columns", "server", path]);
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.split("\n").filter((line) => line.startsWith("| "));
    const header = rows[0]!.split("|").map((cell) => cell.trim());
    const servers = [...new Set(results.steps.map((step) => step.server))];
    assert.deepEqual(header.slice(1, -1), ["offered/s", ...servers.sort()]);
    const rates = [...new Set(results.steps.map((step) => step.rate))].sort((a, b) => a - b);
    assert.equal(rows.length, 1 + rates.length, "a row per offered rate");
    for (const step of results.steps) {
      const row = rows.find((line) => line.startsWith(`| ${formatCount(step.rate)} |`));
      assert.ok(row, `a row for ${step.rate}`);
      const cell = row.split("|").map((c) => c.trim())[header.indexOf(step.server)];
      assert.equal(
        cell,
        `${step.outcome === "sustained" ? "✓" : "✗"} ${formatMs(step.lag!.p95Ms)}`,
        `${step.server} @ ${step.rate}`,
      );
    }
    assert.match(run.stdout, /\*\*sustainable: /, "the sentence of knees stays");
  });

  it("refuses any other dimension in one line", () => {
    const run = runCli(["report", "--format", "md", "--columns", "couchdb", path]);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /^couchbench: --columns couchdb: ingest results pivot by server only .* use --columns server\n$/,
    );
  });
});

describe("couchbench report --no-title (the real CLI)", () => {
  it("leaves out each file's title line and nothing else, for every kind of results file", () => {
    for (const file of ["cht-medium/results.json", "ingest-reader-medium/ingest.json", "advise-classic/advise.json"]) {
      const path = join(packageRoot, "results", "published", file);
      const full = runCli(["report", "--format", "md", path]);
      const untitled = runCli(["report", "--format", "md", "--no-title", path]);
      assert.equal(untitled.status, 0, untitled.stderr);
      const [title, blank, ...rest] = full.stdout.split("\n");
      assert.match(title!, /^#{2,3} couchbench /, file);
      assert.equal(blank, "", file);
      assert.equal(untitled.stdout, rest.join("\n"), file);
    }
  });
});
