/**
 * `couchbench advise` against a real CouchDB (COUCHBENCH_TEST_URL): the whole command on the
 * classic design doc read from a live database, and the rewrites of a design doc that mixes
 * equivalent and look-alike reduces. Speeds are not asserted (benchmarks measure speed);
 * what the command writes and the equivalence of every rewrite on CouchDB itself are.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readVariantOutput } from "../bench/advise/variant-output.js";
import { describeDifference } from "../bench/view-output.js";
import { parseTemplate } from "../bench/design-docs.js";
import { CouchClient } from "../couch/couch-client.js";
import type { AdviseResults } from "../results/advise-format.js";
import { validateAdvise } from "../test-support/advise-schema.js";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { PROBE_SERVER } from "../test-support/probe-docker-context.js";
import { runCli } from "../test-support/run-cli.js";
import { designDocsDir } from "../core/package-paths.js";
import { versionAtLeast } from "../couch/query-servers.js";

async function advise(args: string[]): Promise<{ results: AdviseResults; out: string; stdout: string }> {
  const out = await mkdtemp(join(tmpdir(), "couchbench-advise-live-"));
  const result = runCli(
    ["advise", "--url", liveCouchUrl!, "--dataset", "medium", "--docs", "60", "--out", out, ...args],
    { timeoutMs: 600_000 },
  );
  assert.equal(result.status, 0, result.stderr);
  const results = JSON.parse(await readFile(join(out, "advise.json"), "utf8")) as AdviseResults;
  assert.ok(validateAdvise(results), JSON.stringify(validateAdvise.errors));
  return { results, out, stdout: result.stdout };
}

/** A database that holds only the design doc, as a user's would: advise must read it and change nothing. */
async function userDatabase(client: CouchClient, name: string, ddoc: Record<string, unknown>): Promise<string> {
  await client.deleteDatabase(name);
  await client.createDatabase(name, 1);
  await client.putDocument(name, ddoc as { _id: string });
  return name;
}

test(
  "advise on classic, read from a live database: every variant checked, _sum and emit-null offered, the advised doc builds like the original",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const client = new CouchClient(liveCouchUrl);
    const classic = JSON.parse(await readFile(join(designDocsDir, "classic.json"), "utf8"));
    const db = await userDatabase(client, "couchbench-advise-live-user", { ...classic, _id: "_design/classic" });
    try {
      const before = { info: await client.databaseInfo(db), ddoc: await client.getDocument(db, "_design/classic") };
      const { results, out, stdout } = await advise([
        "--ddoc",
        `couchdb:${liveCouchUrl}/${db}/_design/classic`,
        "--repeat",
        "2",
        "--run-id",
        "live-classic",
      ]);
      const after = { info: await client.databaseInfo(db), ddoc: await client.getDocument(db, "_design/classic") };
      assert.deepEqual(after.ddoc, before.ddoc, "the user's design doc is untouched");
      // (CouchDB's background indexer may build the user's index meanwhile: that is not a write to the database.)
      assert.deepEqual(
        [after.info.update_seq, after.info.doc_count],
        [before.info.update_seq, before.info.doc_count],
        "nothing was written to the user's database",
      );
      assert.equal(results.plan.designDocId, "_design/classic");
      assert.doesNotMatch(JSON.stringify(results), /admin:admin@/, "no credentials in the results");

      const byId = new Map(results.variants.map((variant) => [variant.id, variant]));
      assert.deepEqual(
        [...byId.keys()].filter((id) =>
          [
            "reduce-count",
            "emit-null",
            "split-views",
            "ids-sequential",
            "server-quickjs",
            "server-typescript",
          ].includes(id),
        ).length,
        6,
      );
      for (const variant of results.variants) {
        assert.equal(variant.builds.length, 2, `${variant.id}: ${variant.error ?? ""}`);
        assert.ok(
          ["reference", "match"].includes(variant.output.status),
          `${variant.id}: ${variant.output.detail ?? variant.output.status}`,
        );
        assert.ok(
          variant.builds.every((build) => build.timeSplit && build.timeSplit.calls.map > 0),
          `${variant.id}: time split from CouchDB's counters`,
        );
      }
      const original = byId.get("original")!;
      const emitNull = byId.get("emit-null")!;
      assert.equal(emitNull.readerVisible, true);
      assert.match(emitNull.readers, /include_docs=true/);
      assert.ok(emitNull.indexBytes! < original.indexBytes!, `index ${emitNull.indexBytes} < ${original.indexBytes}`);
      assert.equal(original.readMs?.n, 2);
      assert.equal(emitNull.readMs?.n, 2);
      assert.ok(byId.get("reduce-count")!.speedup, "speed-up with an interval");
      assert.match(stdout, /count: JavaScript reduce → _sum/);
      assert.match(stdout, /emit\(key, null\) is a reader-visible change/);
      assert.ok(existsSync(join(out, "advise.html")));

      // Whatever won on this machine today, the doc with every design-doc change must build to the original's output.
      if (existsSync(join(out, "advised-ddoc.json"))) {
        assert.equal(results.combined?.output.status, "match");
        const advised = JSON.parse(await readFile(join(out, "advised-ddoc.json"), "utf8"));
        assert.equal(advised._id, "_design/classic");
        assert.ok(results.readerChanges.length > 0);
      }
    } finally {
      await client.deleteDatabase(db);
    }
    const leftovers = (await client.allDatabases()).filter((name) => name.includes("live-classic"));
    assert.deepEqual(leftovers, [], "scratch databases are deleted");
  },
);

test(
  "a design doc mixing reduces: exactly the equivalent ones are rewritten, and on CouchDB each gives the original's output at every group level",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { results } = await advise(["--ddoc", "mixed-reduces", "--repeat", "1", "--run-id", "live-mixed"]);
    const reduces = results.variants.filter((variant) => variant.kind === "reduce-builtin");
    assert.deepEqual(reduces.map((variant) => variant.title).sort(), [
      "countByProduct: JavaScript reduce → _count",
      "tagStatsByType: JavaScript reduce → _stats",
      "tagsByProductYear: JavaScript reduce → _sum",
    ]);
    for (const variant of reduces)
      assert.equal(variant.output.status, "match", `${variant.id}: ${variant.output.detail ?? ""}`);
    for (const view of ["averageOfAverages", "sumPlusOne", "countSome"])
      assert.ok(
        results.notes.some((note) => note.startsWith(`view ${view}:`)),
        view,
      );
  },
);

test(
  "non-associative reduces beside rewritable ones: they are named and left out of the reduce comparison, the rewrites are judged and advised",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { results, out } = await advise(["--ddoc", "mixed-reduces", "--repeat", "2", "--run-id", "live-unstable"]);
    // Before: the untouched average made every variant differ. Now every variant that changes no reduce matches.
    for (const variant of results.variants.filter((v) => v.kind !== "original"))
      assert.equal(variant.output.status, "match", `${variant.id}: ${variant.output.detail ?? ""}`);
    const excused = results.notes.filter((note) => /so its reduce answers are not compared$/.test(note));
    // sumPlusOne and the average differ with batching on every CouchDB tried; the rewritable ones are never excused.
    assert.ok(
      excused.some((note) => note.startsWith("view averageOfAverages:") || note.startsWith("view sumPlusOne:")),
      results.notes.join("\n"),
    );
    for (const view of ["tagsByProductYear", "countByProduct", "tagStatsByType"])
      assert.ok(!excused.some((note) => note.startsWith(`view ${view}:`)), view);
    const notSlower = results.variants.filter(
      (v) => v.kind === "reduce-builtin" && (v.verdict === "faster" || v.verdict === "unclear"),
    );
    if (notSlower.length > 0) {
      assert.ok(existsSync(join(out, "advised-ddoc.json")), "an equivalent, not slower rewrite is advised");
      assert.equal(results.advisedDesignDoc, "advised-ddoc.json", "recorded relative to advise.json's folder");
      assert.equal(results.combined?.output.status, "match", results.combined?.output.detail);
      const advised = JSON.parse(await readFile(join(out, "advised-ddoc.json"), "utf8"));
      for (const v of notSlower) assert.match(advised.views[v.id.replace(/^reduce-/, "")].reduce, /^_/);
    }
  },
);

test(
  "a JavaScript 'first value' reduce: _first on CouchDB 3.5 (checked against its definition, readers told), not offered before 3.5",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { version } = await new CouchClient(liveCouchUrl).serverInfo();
    const { results } = await advise(["--ddoc", "latest-values", "--repeat", "2", "--run-id", "live-first"]);
    const first = results.variants.find((v) => v.id === "reduce-firstTagCountByType");
    const top = results.variants.find((v) => v.id === "reduce-topTagCountsByProduct");
    assert.ok(
      results.notes.some((note) => /^view topWithDuplicates: .*with their duplicates/.test(note)),
      "the near miss says why",
    );
    if (versionAtLeast(version, "3.5.0")) {
      assert.equal(first?.output.status, "match", first?.output.detail);
      assert.equal(first?.readerVisible, true);
      assert.ok(first?.speedup, "measured speed-up");
      assert.equal(top?.output.status, "match", top?.output.detail);
      assert.equal(top?.readerVisible, false);
    } else {
      assert.equal(first, undefined);
      assert.equal(top, undefined);
      assert.ok(
        results.notes.includes(
          `view firstTagCountByType: its reduce is a JavaScript spelling of _first, which needs CouchDB ≥ 3.5.0 (this CouchDB is ${version}); not offered`,
        ),
        results.notes.join("\n"),
      );
    }
  },
);

test(
  "the advised design doc with every design-doc change, PUT as written, gives the original's rows and reduce results",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { deriveVariants, combineChanges, advisedDesignDoc } = await import("../bench/advise/variants.js");
    const { loadDocuments } = await import("../bench/loader.js");
    const { openDataset } = await import("../bench/datasets/index.js");
    const client = new CouchClient(liveCouchUrl);
    const raw = JSON.parse(await readFile(join(designDocsDir, "classic.json"), "utf8"));
    const design = {
      id: "_design/classic",
      language: "javascript",
      template: parseTemplate(raw, "classic.json"),
      otherFields: {},
    };
    const { original } = deriveVariants(design, { availableServers: ["javascript"], defaultQ: 1, generatedIds: false });
    const combined = combineChanges(design, original, [
      { kind: "language", server: "quickjs" },
      { kind: "reduce", view: "count", builtIn: "_sum" },
      { kind: "emit-null", views: ["byType"] },
    ]);
    const advised = advisedDesignDoc(design, combined, "javascript_quickjs") as { _id: string };
    const db = "couchbench-advise-live-advised";
    await client.deleteDatabase(db);
    await client.createDatabase(db, 2);
    try {
      await loadDocuments(client, db, await openDataset("medium", { seed: 3, identical: false }), 0, 150, {
        batchSize: 100,
        concurrency: 2,
      });
      await client.putDocument(db, { ...raw, _id: "_design/original" });
      await client.putDocument(db, advised);
      const reference = await readVariantOutput(
        client,
        db,
        [{ designDocId: "_design/original", template: design.template }],
        [],
      );
      const output = await readVariantOutput(
        client,
        db,
        [{ designDocId: advised._id, template: combined.designs[0]! }],
        ["byType"],
      );
      assert.equal(describeDifference(reference, output), undefined);
      assert.equal(output.rowsByView.byType, 150);
    } finally {
      await client.deleteDatabase(db);
    }
  },
);

test(
  "advise --target local --query-server: your own server is a variant like quickjs, built and checked",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const out = await mkdtemp(join(tmpdir(), "couchbench-advise-live-"));
    const result = runCli(
      [
        "advise",
        "--target",
        "local",
        "--couchdb-bin",
        liveCouchBin,
        "--query-server",
        `probe=node ${PROBE_SERVER}`,
        "--servers",
        "javascript,probe",
        "--ddoc",
        "classic",
        "--docs",
        "40",
        "--repeat",
        "1",
        "--out",
        out,
        "--run-id",
        "live-own-server",
      ],
      { timeoutMs: 600_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const results = JSON.parse(await readFile(join(out, "advise.json"), "utf8")) as AdviseResults;
    assert.ok(validateAdvise(results), JSON.stringify(validateAdvise.errors));
    const servers = results.variants.filter((variant) => variant.kind === "query-server");
    assert.deepEqual(
      servers.map((variant) => [variant.id, variant.server, variant.output.status]),
      [["server-probe", "probe", "match"]],
    );
    assert.ok(results.target.availableServers.includes("probe"));
  },
);

test(
  "advise --dataset couchdb: builds on a live database's documents, read only, repeated with new ids past its size",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const { loadDocuments } = await import("../bench/loader.js");
    const { openDataset } = await import("../bench/datasets/index.js");
    const client = new CouchClient(liveCouchUrl);
    const source = "couchbench-advise-live-source";
    await client.deleteDatabase(source);
    await client.createDatabase(source, 1);
    try {
      await loadDocuments(client, source, await openDataset("medium", { seed: 4, identical: false }), 0, 50, {
        batchSize: 50,
        concurrency: 1,
      });
      const before = await client.databaseInfo(source);
      const { results } = await advise([
        "--ddoc",
        "classic",
        "--dataset",
        `couchdb:${liveCouchUrl}/${source}`,
        "--docs",
        "80",
        "--repeat",
        "1",
        "--run-id",
        "live-couch-dataset",
      ]);
      const after = await client.databaseInfo(source);
      assert.deepEqual([after.update_seq, after.doc_count], [before.update_seq, before.doc_count], "read only");
      assert.equal(
        results.plan.dataset,
        `couchdb:${new URL(liveCouchUrl).origin.replace(/\/\/[^@]*@/, "//")}/${source}`,
      );
      assert.doesNotMatch(JSON.stringify(results), /admin:admin@/, "no credentials in the results");
      for (const variant of results.variants)
        assert.ok(
          ["reference", "match"].includes(variant.output.status),
          `${variant.id}: ${variant.output.detail ?? variant.error ?? ""}`,
        );
      assert.ok(
        !results.variants.some((variant) => variant.kind === "ids"),
        "the ids of a user's documents are theirs: no sequential-ids variant",
      );
    } finally {
      await client.deleteDatabase(source);
    }
  },
);
