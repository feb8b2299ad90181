import assert from "node:assert/strict";
import { test } from "node:test";
import { runInNewContext } from "node:vm";
import { parseTemplate } from "./design-docs.js";
import { canCountLeftOut, censusMap } from "./left-out.js";

/** Runs the census map as CouchDB's servers would (a global `emit`) and returns what it emitted. */
function census(views: Record<string, { map: string }>, docs: unknown[]): unknown[][] {
  const emitted: unknown[][] = [];
  const map = runInNewContext(`(${censusMap(views)})`, {
    emit: (key: unknown, value: unknown) => emitted.push([key, value]),
  }) as (doc: unknown) => void;
  for (const doc of docs) map(doc);
  return emitted;
}

test("the census emits a view's name for each document its map threw on, and nothing the map itself emits", () => {
  const views = {
    flaky: { map: "function (doc) { if (doc.n % 2) throw new Error('odd'); emit(doc.n, 1); };" },
    steady: { map: "// every document\nfunction (doc) { emit(doc.n, null); } // done" },
    'odd "name"': { map: "(doc) => { if (doc.n === 3) doc.missing.field; }" },
  };
  assert.deepEqual(census(views, [{ n: 1 }, { n: 2 }, { n: 3 }]), [
    ["flaky", null],
    ["flaky", null],
    ['odd "name"', null],
  ]);
});

test("only JavaScript and TypeScript builds of the design doc's own views are counted", () => {
  const template = parseTemplate({ views: { v: { map: "function (doc) { emit(1, 1); }" } } }, "t.json");
  assert.deepEqual(
    ["javascript", "quickjs", "typescript", "erlang", "noop", "mine"].map((server) =>
      canCountLeftOut(template, server, [{ name: "mine", command: "my-server" }]),
    ),
    [true, true, true, false, false, false],
  );
  const withOwn = { ...template, languages: { typescript: template.views } };
  assert.equal(canCountLeftOut(withOwn, "typescript"), false, "sources of its own are not the design doc's views");
});
