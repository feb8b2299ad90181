import { test } from "node:test";
import assert from "node:assert/strict";
import { adviseResultsFixture, advisedVariant } from "../test-support/advise-fixture.js";
import { renderAdviseHtml } from "./advise-html.js";
import { renderAdviseMarkdown } from "./advise-markdown.js";
import { mangoIndexSummary } from "./advise-mango.js";

function withMango() {
  const results = adviseResultsFixture();
  const original = results.variants.find((v) => v.kind === "original")!;
  original.indexBytes = 2048;
  const mango = advisedVariant("mango-index", "mango-index", [50, 52, 55], {
    title: "byType as a Mango index",
    readers: "query byType with POST /{db}/_find using the index (byType: fields [type])",
    readerVisible: true,
    designDocCount: 2,
    indexBytes: 1024,
    speedup: { value: 2, low: 1.5, high: 2.5, confidence: 0.95, resampled: true },
    verdict: "faster",
  });
  results.variants.push(mango);
  return results;
}

test("the Mango variant is reported apart: what readers change, its speed-up, its checked rows and its index size", () => {
  const line = mangoIndexSummary(withMango());
  assert.equal(
    line,
    "byType as a Mango index (reader-visible: query byType with POST /{db}/_find using the index (byType: fields [type])) builds 2.00× as fast (95% CI 1.50–2.50), the same rows as your views; index 2.0 KiB → 1.0 KiB (with the views left in JavaScript).",
  );
  assert.ok(renderAdviseMarkdown(withMango()).includes(line!));
  assert.ok(renderAdviseHtml(withMango()).includes("byType as a Mango index (reader-visible"));
});

test("no Mango variant, no line; a mismatch says so", () => {
  assert.equal(mangoIndexSummary(adviseResultsFixture()), undefined);
  const results = withMango();
  const mango = results.variants.find((v) => v.kind === "mango-index")!;
  mango.output = { status: "mismatch", detail: "rows differ in byType" };
  assert.match(mangoIndexSummary(results)!, /output mismatch: rows differ in byType/);
});
