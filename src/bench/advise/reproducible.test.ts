import { test } from "node:test";
import assert from "node:assert/strict";
import type { ViewOutput } from "../view-output.js";
import { unstableReduces, withoutReductions } from "./reproducible.js";
import type { DesignDocTemplate } from "../design-docs.js";

const TEMPLATE: DesignDocTemplate = {
  views: {
    total: { map: "function (doc) { emit(doc.type, doc.n); }", reduce: "function (k, v) { return sum(v); }" },
    average: {
      map: "function (doc) { emit(doc.type, doc.n); }",
      reduce: "function (k, v, re) { return sum(v) / v.length; }",
    },
    plusOne: { map: "function (doc) { emit(doc.type, doc.n); }", reduce: "function (k, v) { return sum(v) + 1; }" },
    first: { map: "function (doc) { emit(doc.type, doc.n); }", reduce: "function (k, v) { return v[0]; }" },
    builtIn: { map: "function (doc) { emit(doc.type, 1); }", reduce: "_count" },
  },
} as unknown as DesignDocTemplate;

function output(reductions: Record<string, unknown>, parts: Record<string, string> = {}): ViewOutput {
  const views = ["total", "average", "plusOne", "first", "builtIn"];
  return {
    digest: "d",
    parts: Object.fromEntries(views.map((view) => [view, parts[view] ?? `rows-of-${view}`])),
    rowsByView: {},
    reductions,
  };
}

const REFERENCE = output({
  total: [{ key: null, value: 10 }],
  "total group=true": [{ key: "a", value: 10 }],
  average: [{ key: null, value: 2.5 }],
  "average group=true": [{ key: "a", value: 2.5 }],
  plusOne: [{ key: null, value: 12 }],
  first: [{ key: null, value: 3 }],
  builtIn: [{ key: null, value: 4 }],
});

test("a reduce whose answers differ between two builds of the same functions is unstable, with the build named", () => {
  const second = output({ ...REFERENCE.reductions, "average group=true": [{ key: "a", value: 2.4 }] });
  const unstable = unstableReduces(TEMPLATE, REFERENCE, [{ label: "a second build of the original", output: second }]);
  assert.deepEqual(
    unstable.map(({ view }) => view),
    ["average", "first"],
  );
  assert.match(unstable[0]!.reason, /batching-dependent results \(a second build of the original answered differently/);
  assert.match(unstable[1]!.reason, /position in values/);
});

test("a pick by position is unstable without any evidence; a reduce that answered the same twice is compared", () => {
  assert.deepEqual(
    unstableReduces(TEMPLATE, REFERENCE, [{ label: "again", output: REFERENCE }]).map(({ view }) => view),
    ["first"],
  );
});

test("a provable built-in is never excused, even if its answers differed (that is a real difference)", () => {
  const other = output({ ...REFERENCE.reductions, total: [{ key: null, value: 11 }] });
  assert.deepEqual(
    unstableReduces(TEMPLATE, REFERENCE, [{ label: "q=1", output: other }]).map(({ view }) => view),
    ["first"],
  );
});

test("a build whose rows differ is no evidence about the reduce", () => {
  const other = output({ ...REFERENCE.reductions, plusOne: [{ key: null, value: 13 }] }, { plusOne: "other rows" });
  assert.deepEqual(
    unstableReduces(TEMPLATE, REFERENCE, [{ label: "q=1", output: other }]).map(({ view }) => view),
    ["first"],
  );
});

test("withoutReductions drops every answer of the named views and keeps the rest", () => {
  const kept = withoutReductions(REFERENCE, ["average", "first"]);
  assert.deepEqual(Object.keys(kept.reductions), ["total", "total group=true", "plusOne", "builtIn"]);
  assert.equal(kept.parts, REFERENCE.parts);
});
