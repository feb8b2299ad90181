import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseResultsFile } from "../results/load-results.js";
import type { ResultsFile } from "../results/results-format.js";
import { packageRoot } from "../test-support/paths.js";
import { formatRatio } from "./format.js";
import { renderMarkdownSummary } from "./markdown-summary.js";
import { summaryRows } from "./summary-rows.js";

/** A run published under results/published/: real measurements. */
function published(run: string): ResultsFile {
  const path = join(packageRoot, "results", "published", run, "results.json");
  return parseResultsFile(readFileSync(path, "utf8"), path);
}

/** The first Markdown table of the text: its header and its rows as trimmed cells (the rule line dropped). */
function firstTable(markdown: string): { header: string[]; rows: string[][] } {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.startsWith("| "));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"));
  const [header, , ...rows] = lines.slice(start, end).map((line) =>
    line
      .slice(2, -2)
      .split(" | ")
      .map((cell) => cell.trim()),
  );
  return { header: header!, rows };
}

/** The normal summary's rows by `dataset/docs/server[/settings]`: median, min–max, vs couchjs. */
function normalCells(file: ResultsFile): Map<string, { median: string; range: string; vsCouchjs: string }> {
  const { header, rows } = firstTable(renderMarkdownSummary([file]));
  const at = (row: string[], title: string) => row[header.indexOf(title)] ?? "";
  return new Map(
    rows.map((row) => [
      [at(row, "Dataset"), at(row, "Docs"), at(row, "Server"), at(row, "Settings")].join("/"),
      { median: at(row, "Build (median)"), range: at(row, "Min–max"), vsCouchjs: at(row, "vs couchjs") },
    ]),
  );
}

/** `1.26 s (1.05–1.41) · 1.40×` → its parts; the range with the median's unit put back when it was left out. */
function pivotCell(cell: string): { median: string; range: string; ratio?: string } {
  const match = /^(\S+ \S+) \((.+?)\)(?: · (\S+×))?$/.exec(cell);
  assert.ok(match, `cell ${JSON.stringify(cell)}`);
  const [, median, range, ratio] = match;
  const unit = median!.split(" ")[1]!;
  const withUnits = range!.includes(" ") ? range! : range!.replace(/^(.+)–(.+)$/, `$1 ${unit}–$2 ${unit}`);
  return { median: median!, range: withUnits, ...(ratio ? { ratio } : {}) };
}

describe("report --format md --columns (real published runs)", () => {
  test("--columns server: one column per server, the cells the normal table's numbers for the same points", () => {
    for (const [run, servers, rowCount] of [
      ["mango-medium", ["javascript", "erlang", "mango", "quickjs", "typescript"], 1],
      ["default-run", ["javascript", "quickjs", "typescript"], 7],
    ] as const) {
      const file = published(run);
      const normal = normalCells(file);
      const { header, rows } = firstTable(renderMarkdownSummary([file], { columns: "server" }));
      assert.deepEqual(header, ["Dataset", "Docs", ...servers], run);
      assert.equal(rows.length, rowCount, run);
      assert.equal(rows.length * servers.length, normal.size, `${run}: every point in one cell`);
      for (const row of rows) {
        servers.forEach((server, i) => {
          const expected = normal.get([row[0], row[1], server, ""].join("/"));
          assert.ok(expected, `${run}: ${row.slice(0, 2).join(" ")} ${server} is in the normal table`);
          const cell = pivotCell(row[2 + i]!);
          assert.equal(cell.median, expected.median, `${run} ${server}`);
          assert.equal(cell.range, expected.range, `${run} ${server}`);
          // The first column is javascript: the speed-up against it is the normal table's "vs couchjs".
          assert.equal(cell.ratio, i === 0 ? undefined : expected.vsCouchjs, `${run} ${server}`);
        });
      }
    }
  });

  test("--columns config: settings as columns, the server a row label because it varies", () => {
    const file = published("config-js-engine");
    const { header, rows } = firstTable(renderMarkdownSummary([file], { columns: "config" }));
    assert.deepEqual(header, ["Dataset", "Docs", "Server", "js_engine=quickjs", "js_engine=spidermonkey"]);
    assert.deepEqual(
      rows.map((row) => row[2]),
      ["javascript", "quickjs"],
    );
    const normal = normalCells(file);
    const summary = summaryRows([file]);
    for (const row of rows) {
      const [quickjs, spidermonkey] = ["js_engine=quickjs", "js_engine=spidermonkey"].map((settings) =>
        summary.find((s) => s.server === row[2] && s.config?.endsWith(settings))!,
      );
      const first = pivotCell(row[3]!);
      const second = pivotCell(row[4]!);
      assert.equal(first.median, normal.get(`medium/10k/${row[2]}/js_engine=quickjs`)!.median);
      assert.equal(second.median, normal.get(`medium/10k/${row[2]}/js_engine=spidermonkey`)!.median);
      assert.equal(first.ratio, undefined);
      assert.equal(second.ratio, formatRatio(quickjs!.buildMs!.median / spidermonkey!.buildMs!.median));
    }
  });

  test("the header and the warnings are the normal output's; the cost table is left out with a pointer to it", () => {
    for (const run of ["mango-medium", "default-run", "config-view-updater"]) {
      const file = published(run);
      const normal = renderMarkdownSummary([file]);
      const pivoted = renderMarkdownSummary([file], { columns: "server" });
      const beforeTable = (md: string) => md.slice(0, md.indexOf("\n| "));
      assert.equal(beforeTable(pivoted), beforeTable(normal), run);
      assert.deepEqual(warnings(pivoted), warnings(normal), run);
      assert.match(normal, /What the builds cost \(medians\):/);
      assert.doesNotMatch(pivoted, /What the builds cost \(medians\):/);
      assert.match(pivoted, /What the builds cost: `--format md` without `--columns`\./);
    }
    // The published runs are quiet: a build marked busy must bring its warning into the pivot too.
    const file = published("mango-medium");
    const busy: ResultsFile = {
      ...file,
      measurements: file.measurements.map((m, i) =>
        i === 0 && m.build?.machine
          ? { ...m, build: { ...m.build, machine: { ...m.build.machine, busy: true, otherShare: 0.4 } } }
          : m,
      ),
    };
    const pivotedWarnings = warnings(renderMarkdownSummary([busy], { columns: "server" }));
    assert.ok(
      pivotedWarnings.some((line) => /busy machine/.test(line)),
      pivotedWarnings.join("\n"),
    );
  });

  test("a cell says what went wrong at its point: a mismatch, failed builds", () => {
    const file = published("cht-medium");
    const broken: ResultsFile = {
      ...file,
      measurements: file.measurements.map((m) =>
        m.server !== "quickjs"
          ? m
          : m.repeat === 1
            ? { ...m, status: "errored" as const, error: "exited" }
            : { ...m, correctness: { status: "mismatch" as const, detail: "row 3 differs" } },
      ),
    };
    const { header, rows } = firstTable(renderMarkdownSummary([broken], { columns: "server" }));
    const quickjs = rows[0]![header.indexOf("quickjs")]!;
    assert.match(quickjs, / · ✗ mismatch · 1 errored$/);
    assert.doesNotMatch(rows[0]![header.indexOf("typescript")]!, /mismatch|errored/);
  });
});

function warnings(md: string): string[] {
  return md.split("\n").filter((line) => line.startsWith("> "));
}
