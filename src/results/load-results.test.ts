import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { UsageError } from "../core/errors.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { parseResultsFile, readResultsFile } from "./load-results.js";

describe("readResultsFile", () => {
  it("reads a results file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "couchbench-load-"));
    const path = join(dir, "results.json");
    await writeFile(path, JSON.stringify(fixtureResults({ runId: "r1" })));
    const file = await readResultsFile(path);
    assert.equal(file.runId, "r1");
    assert.equal(file.measurements.length, 180);
  });

  it("names a missing file and says what to pass", async () => {
    await assert.rejects(readResultsFile("/nonexistent/results.json"), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.message,
        /cannot read results file \/nonexistent\/results.json: no such file — pass a results.json written by `couchbench run`/,
      );
      return true;
    });
  });
});

describe("parseResultsFile", () => {
  const refuses = (text: string, pattern: RegExp) =>
    assert.throws(
      () => parseResultsFile(text, "x.json"),
      (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, pattern);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );

  it("refuses text that is not JSON", () => refuses("<html>", /^x.json is not JSON \(.*\) — pass a results.json/));

  it("refuses JSON of another format", () => {
    refuses(
      '{"format":"hyperfine"}',
      /x.json is not a couchbench results file \(format "hyperfine", expected "couchbench-results"\)/,
    );
    refuses("[1,2]", /not a couchbench results file \(format undefined/);
    refuses("null", /not a couchbench results file \(format none/);
  });

  it("refuses another format version and says what to do", () => {
    refuses(
      JSON.stringify({ ...fixtureResults(), formatVersion: 2 }),
      /x.json has formatVersion 2, this couchbench reads 1 — use the couchbench version that wrote it/,
    );
  });

  it("refuses a damaged envelope", () => {
    refuses(
      JSON.stringify({ ...fixtureResults(), measurements: {} }),
      /"measurements" is not a list; the file is damaged/,
    );
    const { environment: _environment, ...rest } = fixtureResults();
    refuses(JSON.stringify(rest), /"environment" is missing/);
  });
});
