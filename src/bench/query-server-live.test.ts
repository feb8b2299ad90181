import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { loadDesignDocTemplate } from "./design-docs.js";
import { CouchClient } from "../couch/couch-client.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { readSeedDoc } from "../test-support/paths.js";

/**
 * The query server registered in a real CouchDB (COUCHDB_QUERY_SERVER_TYPESCRIPT) builds the
 * classic views over the original benchmark's seed documents with exactly the rows couchjs builds.
 */
const client = liveCouchUrl ? new CouchClient(liveCouchUrl) : undefined;
const db = `couchbench-qs-live-${randomBytes(4).toString("hex")}`;

before(async () => {
  if (!client) return;
  const [medium, large] = await Promise.all([readSeedDoc("medium"), readSeedDoc("large")]);
  const docs = [
    { _id: "medium", ...medium },
    { _id: "large", ...large },
    { _id: "untyped", title: "no type here", n: 1.5, nested: { a: [1, -0.0, 1e21, "\u2028"] } },
    { _id: "unicode", type: "ünïcødé 🚀", text: "\u00e9\u0000\u001f" },
  ];
  await client.createDatabase(db, 2);
  const results = await client.bulkDocs(db, JSON.stringify({ docs }));
  assert.ok(results.every((r) => r.ok), JSON.stringify(results));
});

after(async () => {
  await client?.deleteDatabase(db);
});

async function viewOutputs(language: string): Promise<Record<string, unknown>> {
  const template = await loadDesignDocTemplate();
  const id = `_design/classic-${language}`;
  await client!.putDocument(db, { _id: id, language, autoupdate: false, views: template.views } as { _id: string });
  return {
    byType: await client!.queryView(db, id, "byType"),
    count: await client!.queryView(db, id, "count", { reduce: false }),
    countReduced: await client!.queryView(db, id, "count", { reduce: true }),
  };
}

test("byType and count/sum(values) rows from the typescript server equal couchjs's, seed docs included", { timeout: 120_000 }, async (t) => {
  if (!client) return t.skip(SKIP_NO_URL);
  const reference = await viewOutputs("javascript");
  const ours = await viewOutputs("typescript");
  assert.deepEqual(ours, reference);
  const byType = reference.byType as { rows: Array<{ id: string; key: string; value: { _id: string } }> };
  assert.deepEqual(byType.rows.map((row) => row.id).sort(), ["large", "medium", "unicode"]);
  assert.equal((reference.countReduced as { rows: Array<{ value: number }> }).rows[0]!.value, 4);
});

test("TypeScript syntax in a typescript design doc builds in CouchDB", { timeout: 60_000 }, async (t) => {
  if (!client) return t.skip(SKIP_NO_URL);
  const id = "_design/typed";
  const map = "function (doc: { _id: string; type?: string }): void {\n  const kind: string | undefined = doc.type;\n  if (kind) emit(kind as string, doc._id.length);\n}";
  await client.putDocument(db, { _id: id, language: "typescript", autoupdate: false, views: { kinds: { map, reduce: "_sum" } } } as { _id: string });
  const rows = (await client.queryView<{ rows: Array<{ key: string; value: number }> }>(db, id, "kinds", { reduce: false })).rows;
  assert.deepEqual(rows.map((row) => [row.key, row.value]), [["fennec-test-run", 5], ["tcm-testcase", 6], ["ünïcødé 🚀", 7]]);
});
