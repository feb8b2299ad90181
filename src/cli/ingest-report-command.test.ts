/** `couchbench report` and `compare` on ingest.json files, through the real CLI. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { ingestResultsFixture } from "../test-support/ingest-fixture.js";
import { runCli, writeInputs } from "../test-support/run-cli.js";

describe("report and compare on ingest results (the real CLI)", () => {
  const slower = ingestResultsFixture();
  slower.knees = slower.knees.map((knee) =>
    knee.server === "typescript"
      ? { ...knee, status: "bracketed", sustainableRate: 800, firstUnsustainedRate: 3200 }
      : knee,
  );
  const inputs = writeInputs({
    "ingest.json": ingestResultsFixture(),
    "slower.json": slower,
    "results.json": { format: "couchbench-results" },
  });

  it("renders Markdown to stdout and HTML beside the file", () => {
    const md = runCli(["report", inputs["ingest.json"]!, "--format", "md"]);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^## couchbench ingest fixture/);
    const html = runCli(["report", inputs["ingest.json"]!]);
    assert.equal(html.status, 0, html.stderr);
    assert.match(
      readFileSync(join(dirname(inputs["ingest.json"]!), "ingest.html"), "utf8"),
      /View lag against offered rate/,
    );
  });

  it("compare exits 1 when a sustainable rate fell beyond the threshold, 0 when not", () => {
    const same = runCli(["compare", inputs["ingest.json"]!, inputs["ingest.json"]!]);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /0 regression\(s\)/);
    const worse = runCli(["compare", inputs["ingest.json"]!, inputs["slower.json"]!, "--threshold", "20%"]);
    assert.equal(worse.status, 1, worse.stderr);
    assert.match(
      worse.stdout,
      /typescript +≥3\.2k docs\/s \(every rate held\) +~800 docs\/s \(not 3\.2k\) +-75\.0% +REGRESSION/,
    );
  });

  it("refuses a mix of ingest and build results, and csv, with one line", () => {
    const mixed = runCli(["compare", inputs["ingest.json"]!, inputs["results.json"]!]);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /^couchbench: .*results\.json is not an ingest results file — pass ingest\.json files/);
    const csv = runCli(["report", inputs["ingest.json"]!, "--format", "csv"]);
    assert.equal(csv.status, 2);
    assert.match(csv.stderr, /^couchbench: --format csv: ingest results render as html or md/);
  });
});
