import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { summaryRows } from "./summary-rows.js";

describe("summaryRows", () => {
  const rows = summaryRows([fixtureResults()]);
  const find = (key: string) =>
    rows.find((r) => `${r.couchdbVersion}/q${r.q}/${r.dataset}/${r.docCount}/${r.server}` === key)!;

  it("has one row per point, couchjs first within a point", () => {
    assert.equal(rows.length, 2 * 2 * 5 * 3);
    assert.deepEqual(
      rows.slice(0, 3).map((r) => r.server),
      ["javascript", "quickjs", "typescript"],
    );
    assert.equal(rows[0]!.dataset, "large");
  });

  it("summarises repeats and the speed-up over couchjs", () => {
    const row = find("3.4.3/q1/small/10000/typescript");
    assert.equal(row.repeats, 3);
    assert.ok(row.buildMs!.min <= row.buildMs!.median && row.buildMs!.median <= row.buildMs!.max);
    const couchjs = find("3.4.3/q1/small/10000/javascript");
    assert.equal(row.speedupVsCouchjs, couchjs.buildMs!.median / row.buildMs!.median);
    assert.equal(couchjs.speedupVsCouchjs, 1);
  });

  it("reports mismatches and errored repeats", () => {
    assert.equal(find("3.4.3/q1/small/1000/quickjs").correctness, "mismatch");
    const errored = find("3.5.0/q2/large/1000/typescript");
    assert.equal(errored.errored, 1);
    assert.equal(errored.repeats, 2);
    assert.equal(errored.correctness, "ok");
  });

  it("keeps a point whose every repeat failed, without numbers", () => {
    const file = fixtureResults({ repeats: 1 });
    const m = file.measurements.find((x) => x.key === "docker-3.4.3/q1/small/100/quickjs/1")!;
    m.status = "errored";
    delete m.build;
    m.correctness = { status: "unchecked" };
    const row = summaryRows([file]).find(
      (r) =>
        r.dataset === "small" &&
        r.docCount === 100 &&
        r.server === "quickjs" &&
        r.q === 1 &&
        r.couchdbVersion === "3.4.3",
    )!;
    assert.equal(row.buildMs, undefined);
    assert.equal(row.speedupVsCouchjs, undefined);
    assert.equal(row.correctness, "unchecked");
  });
});
