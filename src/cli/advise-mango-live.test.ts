/**
 * advise's "as a Mango index" variant against a real CouchDB (COUCHBENCH_TEST_URL): the views with a Mango
 * equivalent are built as a Mango index beside the view left in JavaScript, their rows checked against the
 * original's (a scalar key against the index's [key]), and the variant reported apart with its index size.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { AdviseResults } from "../results/advise-format.js";
import { validateAdvise } from "../test-support/advise-schema.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { runCli } from "../test-support/run-cli.js";

const APP = {
  _id: "_design/app",
  views: {
    byType: { map: "function (doc) {\n  if (doc.type !== undefined) {\n    emit(doc.type, null);\n  }\n}" },
    byTypeAndDate: {
      map: "function (doc) {\n  if (doc.type !== undefined && doc.creation_dt !== undefined) {\n    emit([doc.type, doc.creation_dt], null);\n  }\n}",
      reduce: "_count",
    },
    productCount: { map: "function (doc) {\n  emit(doc.product, 1);\n}", reduce: "_sum" },
  },
};

test(
  "advise offers byType and byTypeAndDate as a Mango index, output checked, reported apart with its size",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const out = await mkdtemp(join(tmpdir(), "couchbench-advise-mango-"));
    await writeFile(join(out, "app.json"), JSON.stringify(APP));
    const args = ["advise", "--url", liveCouchUrl, "--ddoc", join(out, "app.json"), "--dataset", "medium"];
    const result = runCli([...args, "--docs", "60", "--repeat", "1", "--out", out], { timeoutMs: 600_000 });
    assert.equal(result.status, 0, result.stderr);
    const results = JSON.parse(await readFile(join(out, "advise.json"), "utf8")) as AdviseResults;
    assert.ok(validateAdvise(results), JSON.stringify(validateAdvise.errors));
    const mango = results.variants.find((variant) => variant.kind === "mango-index");
    assert.ok(mango, JSON.stringify(results.notes));
    assert.equal(mango.title, "byType, byTypeAndDate as a Mango index");
    assert.equal(mango.readerVisible, true);
    assert.equal(mango.designDocCount, 2, "productCount stays in JavaScript, in its own design doc");
    assert.deepEqual(mango.output, { status: "match" });
    assert.ok(mango.indexBytes! > 0);
    assert.ok(results.notes.some((note) => /as a Mango index \(no equivalent\): productCount/.test(note)));
    assert.match(result.stdout, /byType, byTypeAndDate as a Mango index \(reader-visible: query byType/);
    assert.ok(!results.readerChanges.some((change) => /Mango/.test(change.change)), "never in the advised doc");
  },
);
