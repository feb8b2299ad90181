import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { designDocsDir } from "../../core/package-paths.js";
import { parseTemplate } from "../design-docs.js";
import {
  advisedDesignDoc,
  combineChanges,
  deriveVariants,
  type UserDesignDoc,
  type VariantContext,
} from "./variants.js";
import { splitViews } from "./split-views.js";

async function designDoc(name: string): Promise<UserDesignDoc> {
  const path = join(designDocsDir, `${name}.json`);
  const { views: _views, description, ...rest } = JSON.parse(await readFile(path, "utf8"));
  return {
    id: `_design/${name}`,
    language: "javascript",
    template: parseTemplate(JSON.parse(await readFile(path, "utf8")), path),
    otherFields: { description, ...rest },
  };
}

const EVERYTHING: VariantContext = {
  availableServers: ["javascript", "quickjs", "typescript"],
  defaultQ: 2,
  hostCores: 4,
  generatedIds: true,
};

test("classic: every kind of variant, the reduce as _sum and byType as emit-null", async () => {
  const { original, variants } = deriveVariants(await designDoc("classic"), EVERYTHING);
  assert.equal(original.q, 2);
  assert.deepEqual(
    variants.map((variant) => variant.id),
    ["server-quickjs", "server-typescript", "reduce-count", "emit-null", "split-views", "q1", "q4", "ids-sequential"],
  );
  assert.equal(variants.find((v) => v.id === "reduce-count")!.designs[0]!.views.count!.reduce, "_sum");
  const emitNull = variants.find((v) => v.id === "emit-null")!;
  assert.deepEqual(emitNull.emitNullViews, ["byType"]);
  assert.match(emitNull.readers, /include_docs=true/);
  assert.match(emitNull.designs[0]!.views.byType!.map, /emit\(doc\.type, null\)/);
});

test("a mix of reduces: exactly the three equivalent ones are rewritten, the look-alikes are named as left alone", async () => {
  const { variants, skipped } = deriveVariants(await designDoc("mixed-reduces"), EVERYTHING);
  const rewritten = Object.fromEntries(
    variants.filter((v) => v.kind === "reduce-builtin").map((v) => [v.id, v.ddocChange]),
  );
  assert.deepEqual(rewritten, {
    "reduce-tagsByProductYear": { kind: "reduce", view: "tagsByProductYear", builtIn: "_sum" },
    "reduce-countByProduct": { kind: "reduce", view: "countByProduct", builtIn: "_count" },
    "reduce-tagStatsByType": { kind: "reduce", view: "tagStatsByType", builtIn: "_stats" },
  });
  for (const view of ["averageOfAverages", "sumPlusOne", "countSome"])
    assert.ok(
      skipped.some((note) => note.startsWith(`view ${view}:`)),
      view,
    );
  // Each reduce variant changes its own view only.
  const sum = variants.find((v) => v.id === "reduce-tagsByProductYear")!.designs[0]!;
  assert.equal(sum.views.countByProduct!.reduce!.startsWith("function"), true);
});

test("what the CouchDB cannot run, and q values it already has, are not offered", async () => {
  const { variants, skipped } = deriveVariants(await designDoc("classic"), {
    availableServers: ["javascript"],
    defaultQ: 1,
    generatedIds: false,
  });
  assert.deepEqual(
    variants.map((v) => v.id),
    ["reduce-count", "emit-null", "split-views", "q2"],
  );
  assert.ok(skipped.some((note) => note.includes("quickjs")));
  assert.ok(skipped.some((note) => note.includes("core count")));
});

test("a design doc in another language gets no JavaScript rewrites", async () => {
  const design = { ...(await designDoc("classic")), language: "erlang" };
  const { variants } = deriveVariants(design, EVERYTHING);
  assert.deepEqual(
    variants.map((v) => v.kind),
    ["split-views", "shards", "shards", "ids"],
  );
});

test("split views: one template per view, each with the library", () => {
  const split = splitViews({
    source: "x.json",
    views: { a: { map: "m1" }, b: { map: "m2", reduce: "_count" } },
    lib: { util: "exports.x = 1" },
  });
  assert.deepEqual(
    split.map((t) => Object.keys(t.views)),
    [["a"], ["b"]],
  );
  assert.ok(split.every((t) => t.lib?.util === "exports.x = 1"));
});

test("the advised design doc combines the changes and keeps the user's other fields", async () => {
  const design = await designDoc("classic");
  const { original } = deriveVariants(design, EVERYTHING);
  const combined = combineChanges(design, original, [
    { kind: "language", server: "quickjs" },
    { kind: "reduce", view: "count", builtIn: "_sum" },
    { kind: "emit-null", views: ["byType"] },
  ]);
  assert.equal(combined.server, "quickjs");
  assert.deepEqual(combined.emitNullViews, ["byType"]);
  const doc = advisedDesignDoc(design, combined, "javascript_quickjs") as {
    _id: string;
    language: string;
    description: string;
    views: Record<string, { map: string; reduce?: string }>;
  };
  assert.equal(doc._id, "_design/classic");
  assert.equal(doc.language, "javascript_quickjs");
  assert.match(doc.description, /classic benchmark/);
  assert.equal(doc.views.count!.reduce, "_sum");
  assert.match(doc.views.byType!.map, /emit\(doc\.type, null\)/);
});

test("CouchDB 3.5 built-ins: offered on 3.5.2 (a pick as reader-visible), not on 3.4.3, saying why", async () => {
  const design = await designDoc("latest-values");
  const on35 = deriveVariants(design, { ...EVERYTHING, couchdbVersion: "3.5.2" });
  const reduces = on35.variants.filter((v) => v.kind === "reduce-builtin");
  assert.deepEqual(
    reduces.map((v) => [v.id, v.ddocChange, v.readerVisible]),
    [
      [
        "reduce-firstTagCountByType",
        { kind: "reduce", view: "firstTagCountByType", builtIn: "_first", orderDependent: true },
        true,
      ],
      ["reduce-topTagCountsByProduct", { kind: "reduce", view: "topTagCountsByProduct", builtIn: "_top_3" }, false],
    ],
  );
  assert.match(reduces[0]!.readers, /value of the first row by key and document id/);
  assert.ok(
    on35.skipped.some((note) => /^view topWithDuplicates: .*with their duplicates, _top_3 keeps 3 distinct/.test(note)),
    on35.skipped.join("\n"),
  );

  const on34 = deriveVariants(design, { ...EVERYTHING, couchdbVersion: "3.4.3" });
  assert.deepEqual(
    on34.variants.filter((v) => v.kind === "reduce-builtin"),
    [],
  );
  for (const [view, builtIn] of [
    ["firstTagCountByType", "_first"],
    ["topTagCountsByProduct", "_top_3"],
  ])
    assert.ok(
      on34.skipped.includes(
        `view ${view}: its reduce is a JavaScript spelling of ${builtIn}, which needs CouchDB ≥ 3.5.0 (this CouchDB is 3.4.3); not offered`,
      ),
      on34.skipped.join("\n"),
    );
});

test("--query-server servers are tried like the built-in ones when the CouchDB can run them", async () => {
  const design = await designDoc("classic");
  const servers = (available: string[]) =>
    deriveVariants(design, {
      ...EVERYTHING,
      availableServers: available,
      servers: ["javascript", "quickjs", "typescript", "mine"],
    })
      .variants.filter((v) => v.kind === "query-server")
      .map((v) => v.server);
  assert.deepEqual(servers(["javascript", "quickjs", "mine"]), ["quickjs", "mine"]);
  const { skipped } = deriveVariants(design, {
    ...EVERYTHING,
    availableServers: ["javascript"],
    servers: ["javascript", "mine"],
    unavailable: { mine: "unknown_query_language: mine" },
  });
  assert.deepEqual(
    skipped.filter((note) => note.startsWith("query server")),
    ["query server mine: not available on this CouchDB (unknown_query_language: mine)"],
  );
  assert.deepEqual(servers(["javascript"]), []);
});
