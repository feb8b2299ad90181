import { test } from "node:test";
import assert from "node:assert/strict";
import { advisedVariant, adviseResultsFixture } from "../test-support/advise-fixture.js";
import { renderAdviseHtml } from "./advise-html.js";
import { renderAdviseMarkdown } from "./advise-markdown.js";

test("Markdown: original first, then ranked by verdict and speed-up, with intervals, the split and the reader-visible change", () => {
  const text = renderAdviseMarkdown(adviseResultsFixture());
  const rows = text.split("\n").filter((line) => /^\| \d/.test(line));
  assert.deepEqual(
    rows.map((row) => row.split("|")[2]!.trim()),
    [
      "original variant",
      "count: JavaScript reduce → _sum",
      "byType: emit(key, doc) → emit(key, null) ⚠ readers change",
      "ids-sequential variant",
    ],
  );
  assert.match(rows[1]!, /3\.00× \(2\.60–3\.30\)/);
  assert.match(rows[1]!, /\*\*faster\*\*/);
  assert.match(rows[1]!, /400 ms \/ 0\.0 ms \/ 0\.0 ms \/ 600 ms/);
  assert.match(rows[3]!, /REJECTED: rows differ in count/);
  assert.match(text, /index 1\.6 MiB → 273\.4 KiB; reading every row 350 ms → 880 ms with include_docs=true/);
  assert.match(text, /- count: reduce → _sum — readers: nothing \(same results\)/);
  assert.match(text, /Not offered, or not compared:\n- q = host cores/);
});

test("Markdown: a rewritten pick is said apart as reader-visible, with how its output was checked", () => {
  const results = adviseResultsFixture();
  results.variants.push(
    advisedVariant("reduce-first", "reduce-builtin", [1000, 1010], {
      title: "first: JavaScript reduce → _first",
      readerVisible: true,
      readers: "first's reduce returns the value of the first row by key and document id",
      output: { status: "match", detail: "rows as the original's; first's answers as _first's definition" },
    }),
  );
  assert.match(
    renderAdviseMarkdown(results),
    /first: JavaScript reduce → _first is a reader-visible change: first's reduce returns the value of the first row by key and document id \(checked: rows as the original's; first's answers as _first's definition\)\./,
  );
});

test("HTML: one page with uPlot inlined, the chart payload and escaped text", () => {
  const html = renderAdviseHtml(adviseResultsFixture());
  assert.match(html, /<script type="application\/json" id="advise-data">/);
  const payload = JSON.parse(/id="advise-data">([^<]*)<\/script>/.exec(html)![1]!);
  assert.deepEqual(payload.labels, ["reduce-count", "emit-null", "combined"]);
  assert.deepEqual(payload.low, [2.6, 0.98, 2.5]);
  assert.ok(html.includes("rows differ in count &#60;b&#62;"));
  assert.ok(!html.includes("<b>"));
  assert.ok(!/src="http/.test(html), "nothing loaded from the network");
});
