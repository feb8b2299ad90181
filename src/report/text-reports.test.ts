import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ResultsFile } from "../results/results-format.js";
import { packageRoot } from "../test-support/paths.js";
import { renderCsv } from "./csv.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderMarkdownSummary } from "./markdown-summary.js";

describe("renderMarkdownSummary", () => {
  const file = fixtureResults({ runId: "nightly" });
  file.notes.push({ at: "2025-11-27T04:10:00Z", level: "warning", message: "docker-3.5.0 restarted once" });
  const md = renderMarkdownSummary([file]);
  const tableLines = md.split("\n").filter((l) => l.startsWith("|"));

  it("heads each run with its id, status and environment", () => {
    assert.match(md, /^### couchbench run `nightly` — completed\n/);
    assert.match(md, /CouchDB 3.4.3 \(spidermonkey 91\) limited to 2 CPUs, 4.0 GiB/);
    assert.match(md, /AMD EPYC 7763 64-Core Processor, 4 cores, 16.0 GiB/);
  });

  it("is a valid, aligned Markdown table with one row per point", () => {
    assert.equal(tableLines.length, 2 + 60);
    assert.match(tableLines[1]!, /^\| -+ \| -+: \|/);
    const widths = new Set(tableLines.map((l) => l.length));
    assert.equal(widths.size, 1, "every line has the same width");
    const cells = tableLines[0]!.split("|").length;
    assert.ok(tableLines.every((l) => l.split("|").length === cells));
  });

  it("shows median, min–max, throughput, speed-up and correctness", () => {
    const row = tableLines.find((l) => /\| small +\| +10k \| typescript \| 3\.4\.3 +\| +1 \|/.test(l))!;
    assert.match(row, /\| +1\.\d\d s \| +1\.\d\d s–1\.\d\d s \| +[\d.]+k \| +\d\.\d\d× \| ✓ +\|$/);
    assert.ok(tableLines.some((l) => l.includes("✗ mismatch")));
    assert.ok(tableLines.some((l) => l.includes("✓ · 1 errored")));
  });

  it("lists warnings but not info notes", () => {
    assert.match(md, /> \*\*warning:\*\* docker-3.5.0 restarted once/);
    assert.doesNotMatch(md, /pulled couchdb/);
  });

  it("has one section per file", () => {
    const two = renderMarkdownSummary([file, fixtureResults({ runId: "other" })]);
    assert.equal(two.match(/^### couchbench run/gm)?.length, 2);
  });
});

describe("renderCsv", () => {
  const csv = renderCsv([fixtureResults()]);
  const lines = csv.trimEnd().split("\r\n");
  const header = lines[0]!.split(",");

  it("has a header and one row per measurement", () => {
    assert.equal(lines.length, 1 + 180);
    assert.deepEqual(header.slice(0, 4), ["runId", "key", "targetId", "couchdbVersion"]);
    assert.ok(csv.endsWith("\r\n"));
  });

  it("writes numbers raw and missing values empty", () => {
    const errored = lines.find((l) => l.includes("docker-3.5.0/q2/large/1000/typescript/2"))!;
    const cells = errored.split(",");
    assert.equal(cells[header.indexOf("status")], "errored");
    assert.equal(cells[header.indexOf("buildMs")], "");
    assert.equal(cells[header.indexOf("jsEngine")], "spidermonkey 128");
  });

  it("gives each build's cost and the machine's load, as the published run recorded them", () => {
    const published = loadPublished("cht-medium");
    const [head, ...rows] = renderCsv([published]).trimEnd().split("\r\n");
    const columns = head!.split(",");
    for (const m of published.measurements) {
      const cells = rows.find((row) => row.split(",")[columns.indexOf("key")] === m.key)!.split(",");
      const cell = (name: string) => cells[columns.indexOf(name)];
      assert.equal(cell("beamCpuMs"), String(m.build!.cost!.beamCpuMs), m.key);
      assert.equal(cell("queryServerCpuMs"), String(m.build!.queryServerCpuMs), m.key);
      assert.equal(cell("beamPeakRssBytes"), String(m.build!.cost!.beamPeakRssBytes), m.key);
      assert.equal(cell("indexFileBytes"), String(m.build!.cost!.index!.fileBytes), m.key);
      assert.equal(cell("compactionMs"), String(m.compaction!.ms), m.key);
      assert.equal(cell("compactedFileBytes"), String(m.compaction!.after.fileBytes), m.key);
      assert.equal(cell("machineBusy"), String(m.build!.machine!.busy), m.key);
      assert.equal(cell("machineOtherShare"), String(m.build!.machine!.otherShare), m.key);
    }
  });

  it("quotes cells with commas and quotes (RFC 4180)", () => {
    const mismatch = lines.find((l) => l.includes("docker-3.4.3/q1/small/1000/quickjs/1"))!;
    assert.ok(mismatch.includes(`"view by_type row 17: key [""post"",3] vs [""post"",3.0]"`));
  });
});

describe("one CPU", () => {
  it('is not "1 CPUs"', () => {
    const file = fixtureResults({ runId: "one-cpu" });
    file.targets = file.targets.map((target) => ({ ...target, cpus: 1 }));
    assert.match(renderMarkdownSummary([file]), /limited to 1 CPU,/);
  });
});

function loadPublished(name: string): ResultsFile {
  return JSON.parse(
    readFileSync(join(packageRoot, "results", "published", name, "results.json"), "utf8"),
  ) as ResultsFile;
}
