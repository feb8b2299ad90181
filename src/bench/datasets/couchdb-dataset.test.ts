import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { CouchClient } from "../../couch/couch-client.js";
import { liveCouchUrl, SKIP_NO_URL } from "../../test-support/live-couch.js";
import { createSourceDatabase } from "../../test-support/source-database.js";
import { loadDocuments } from "../loader.js";
import { describeSample, loadable, parseCouchSpec, readCouchSample } from "./couchdb-dataset.js";
import { idGenerator } from "./doc-ids.js";
import { openDatasetSource } from "./index.js";

test("a couchdb: spec names the server and database; its name for the results carries no credentials", () => {
  const source = parseCouchSpec("couchdb:http://reader:s3cret@db.example:5984/orders");
  assert.deepEqual(source, {
    serverUrl: "http://reader:s3cret@db.example:5984",
    database: "orders",
    name: "couchdb:http://db.example:5984/orders",
  });
  const nested = parseCouchSpec("couchdb:https://host/couch/team%2Forders");
  assert.equal(nested.serverUrl, "https://host/couch");
  assert.equal(nested.database, "team/orders");
  assert.throws(
    () => parseCouchSpec("couchdb:http://u:pw@host:5984"),
    (error: Error) =>
      /needs an http\(s\) URL ending in the database name/.test(error.message) && !error.message.includes("pw"),
  );
  assert.throws(() => parseCouchSpec("couchdb:not a url"), /not a URL/);
});

test("a sampled document loses _rev, _attachments and CouchDB-only fields, and keeps everything else", () => {
  const { doc, hadAttachments } = loadable({
    _id: "a",
    _rev: "3-x",
    _attachments: { "f.txt": { stub: true } },
    _conflicts: ["2-y"],
    name: "Zoë",
    lines: [[1, 2], { a: [] }],
  });
  assert.deepEqual(doc, { _id: "a", name: "Zoë", lines: [[1, 2], { a: [] }] });
  assert.equal(hadAttachments, true);
  assert.equal(loadable({ _id: "b", n: 1 }).hadAttachments, false);
});

test("the size distribution is of the documents as loaded, in UTF-8 bytes", () => {
  const docs = Array.from({ length: 40 }, (_, i) => ({ _id: `d${i}`, text: "é".repeat(i) }));
  const info = describeSample(parseCouchSpec("couchdb:http://u:p@h:5984/db"), "7-abc", docs, 3);
  const bytes = docs.map((doc) => Buffer.byteLength(JSON.stringify(doc))).sort((a, b) => a - b);
  assert.deepEqual(info.docBytes, {
    min: bytes[0],
    median: (bytes[19]! + bytes[20]!) / 2,
    p95: bytes[37],
    max: bytes[39],
  });
  assert.equal(info.docBytes.max - info.docBytes.min, 39 * 2 + 1, "é is two bytes; the widest id one byte longer");
  assert.deepEqual(
    [info.url, info.database, info.sampledDocs, info.docsWithAttachments, info.attachments],
    ["http://h:5984", "db", 40, 3, "dropped"],
  );
});

test(
  "sampling a live database reads the first live documents, never writes to it, and loads exactly them",
  { timeout: 120_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const client = new CouchClient(liveCouchUrl);
    const name = `couchbench-test-source-${randomBytes(3).toString("hex")}`;
    const scratch = `${name}-scratch`;
    try {
      const source = await createSourceDatabase(liveCouchUrl, name);
      const before = await client.databaseInfo(name);
      const spec = `couchdb:${liveCouchUrl}/${name}`;
      const sample = await readCouchSample(parseCouchSpec(spec), 50);

      const expected = [...source.live].sort((a, b) => (a._id < b._id ? -1 : 1)).slice(0, 50);
      assert.deepEqual(
        sample.docs,
        expected.map((doc) => loadable(doc).doc),
        "the first 50 live documents by id, without design or deleted docs",
      );
      assert.equal(sample.info.docsWithAttachments, expected.filter((doc) => doc._attachments).length);
      assert.ok(
        sample.info.docsWithAttachments > 0 && source.deletedIds.some((id) => id < expected[49]!._id),
        "the sample met attachments and skipped deleted docs",
      );
      assert.ok(
        sample.info.docBytes.max > 10 * sample.info.docBytes.min,
        `sizes vary: ${JSON.stringify(sample.info.docBytes)}`,
      );

      const dataset = (await openDatasetSource(spec, { seed: 4, identical: false, sample: 50 })).withIds("random");
      await client.createDatabase(scratch, 1);
      await loadDocuments(client, scratch, dataset, 0, 80, { batchSize: 16, concurrency: 2 });
      const loaded = (await client.allDocsPage(scratch, 1000)).map((row) => loadable(row.doc).doc);
      const ids = idGenerator("random", 4);
      const copies = expected.slice(0, 30).map((doc, i) => ({ ...loadable(doc).doc, _id: ids(50 + i) }));
      const byId = (a: { _id?: unknown }, b: { _id?: unknown }) => (String(a._id) < String(b._id) ? -1 : 1);
      assert.deepEqual(
        loaded.sort(byId),
        [...sample.docs, ...copies].sort(byId),
        "the sample, then copies with new ids of the scheme",
      );

      const after = await client.databaseInfo(name);
      assert.equal(after.update_seq, before.update_seq, "the source was not written to");
      assert.equal(sample.info.updateSeq, before.update_seq);
    } finally {
      await client.deleteDatabase(name);
      await client.deleteDatabase(scratch);
    }
  },
);
