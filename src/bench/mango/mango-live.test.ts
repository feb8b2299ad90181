import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { CouchClient } from "../../couch/couch-client.js";
import { liveCouchUrl, SKIP_NO_URL } from "../../test-support/live-couch.js";
import { designDocPath, loadDesignDocTemplate, parseTemplate, type DesignDocTemplate } from "../design-docs.js";
import { measureBuild, newBuildId, type BuildOutcome } from "../measure-build.js";
import { describeDifference } from "../view-output.js";
import { mangoSources } from "./mango-index.js";

/**
 * The `mango` server against a real CouchDB: Mango's idea of "the field exists" (null counts, a missing field or a
 * non-object parent does not) agrees with by-field's JavaScript guards on documents chosen to tell them apart, and
 * every build is a fresh index.
 */
const client = liveCouchUrl ? new CouchClient(liveCouchUrl) : undefined;
const db = `couchbench-mango-live-${randomBytes(4).toString("hex")}`;

const DOCS = [
  { _id: "full", type: "a", creation_dt: "2009-08-10T09:19:18", title: { "en-us": "Full" } },
  { _id: "null-type", type: null, creation_dt: null, title: { "en-us": null } },
  { _id: "falsy-type", type: 0, title: "a string title" },
  { _id: "false-type", type: false, title: ["en-us"] },
  { _id: "empty-type", type: "", title: null },
  { _id: "empty-title", type: "b", title: {} },
  { _id: "object-title", type: "c", title: { "en-us": { nested: [1, "x"] }, fr: "y" } },
  { _id: "no-type", creation_dt: "2010-01-01T00:00:00" },
  { _id: "nothing" },
];
/** Documents with `type`, whatever its value: what Mango's index on ["type"] holds. */
const WITH_TYPE = ["empty-title", "empty-type", "false-type", "falsy-type", "full", "null-type", "object-title"];

before(async () => {
  if (!client) return;
  await client.createDatabase(db, 2);
  const results = await client.bulkDocs(db, JSON.stringify({ docs: DOCS }));
  assert.ok(
    results.every((r) => r.ok),
    JSON.stringify(results),
  );
});

after(async () => {
  await client?.deleteDatabase(db);
});

function build(template: DesignDocTemplate, server: string): Promise<BuildOutcome> {
  return measureBuild({
    client: client!,
    db,
    template,
    server,
    buildId: newBuildId("mango-live", 1),
    docCount: DOCS.length,
    docBytes: JSON.stringify(DOCS).length,
    verify: true,
  });
}

async function request<T>(path: string, body?: unknown): Promise<T> {
  const url = new URL(`${db}/${path}`, liveCouchUrl!.endsWith("/") ? liveCouchUrl : `${liveCouchUrl}/`);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  url.username = url.password = "";
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

test(
  "by-field as Mango indexes gives exactly the JavaScript views' rows and counts, edge documents included",
  { timeout: 120_000 },
  async (t) => {
    if (!client) return t.skip(SKIP_NO_URL);
    const template = await loadDesignDocTemplate(designDocPath("by-field"));
    const javascript = await build(template, "javascript");
    const mango = await build(template, "mango");
    assert.equal(mango.language, "query");
    assert.equal(describeDifference(javascript.output!, mango.output!), undefined);
    assert.deepEqual(mango.build.rowsByView, { byTitle: 3, byType: 7, byTypeAndDate: 2 });
    const rows = await client.queryView<{ rows: Array<{ id: string }> }>(db, mango.designDocId, "byType", {
      reduce: false,
    });
    assert.deepEqual(rows.rows.map((row) => row.id).sort(), WITH_TYPE);

    // A real Mango index: _index lists it, and _find with it returns the documents that have the field.
    const { indexes } = await request<{ indexes: Array<{ ddoc: string | null; name: string }> }>("_index");
    assert.ok(indexes.some((index) => index.ddoc === mango.designDocId && index.name === "byType"));
    const found = await request<{ docs: Array<{ _id: string }> }>("_find", {
      selector: { type: { $exists: true } },
      use_index: [mango.designDocId, "byType"],
      fields: ["_id"],
    });
    assert.deepEqual(found.docs.map((doc) => doc._id).sort(), WITH_TYPE);

    // Derived from the maps (no .mango.json): the same indexes, the same output.
    const derived = parseTemplate({ views: template.views }, "derived.json");
    const fromMaps = await build({ ...derived, mango: mangoSources(derived) }, "mango");
    assert.equal(describeDifference(javascript.output!, fromMaps.output!), undefined);
  },
);

test(
  "two mango builds of the same indexes are two indexes, each built from the start",
  { timeout: 60_000 },
  async (t) => {
    if (!client) return t.skip(SKIP_NO_URL);
    const template = await loadDesignDocTemplate(designDocPath("by-field"));
    const first = await build(template, "mango");
    const second = await build(template, "mango");
    type Info = { view_index: { signature: string; update_seq: number | string } };
    const [a, b] = await Promise.all([first, second].map((outcome) => request<Info>(`${outcome.designDocId}/_info`)));
    assert.notEqual(a.view_index.signature, b.view_index.signature, "a build reusing an index would build in no time");
    assert.ok(second.build.rowsByView.byType === WITH_TYPE.length);
  },
);
