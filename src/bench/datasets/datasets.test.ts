import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readSeedDoc, type SEED_DOCS } from "../../test-support/paths.js";
import { idGenerator } from "./doc-ids.js";
import { openDataset, type DocBody } from "./index.js";

async function seed(name: keyof typeof SEED_DOCS): Promise<DocBody> {
  return (await readSeedDoc(name)) as DocBody;
}

function bodyBytes(doc: DocBody): number {
  const { _id: _ignored, ...body } = doc;
  return JSON.stringify(body).length;
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

for (const name of ["medium", "large"] as const) {
  test(`${name} documents have the seed's fields and types and its compact size ±5%`, async () => {
    const template = await seed(name);
    const templateBytes = JSON.stringify(template).length;
    const dataset = await openDataset(name, { seed: 42, identical: false });
    const count = name === "large" ? 60 : 1500;
    for (let i = 0; i < count; i++) {
      const doc = dataset.docAt(i);
      assert.deepEqual(
        Object.keys(doc)
          .filter((k) => k !== "_id")
          .sort(),
        Object.keys(template).sort(),
        `doc ${i} fields`,
      );
      for (const key of Object.keys(template))
        assert.equal(shapeOf(doc[key]), shapeOf(template[key]), `doc ${i}.${key}`);
      const ratio = bodyBytes(doc) / templateBytes;
      assert.ok(
        ratio >= 0.95 && ratio <= 1.05,
        `doc ${i} is ${bodyBytes(doc)} bytes, seed ${templateBytes} (ratio ${ratio.toFixed(3)})`,
      );
    }
  });
}

test("large documents keep the seed's internal consistency: names listed in tests, counts add up", async () => {
  const doc = (await openDataset("large", { seed: 3, identical: false })).docAt(7) as {
    tests: Record<string, { pass: number; fail: number }>;
    passed_test_names: string[];
    failed_test_names: string[];
    pass_count: number;
    fail_count: number;
  };
  const names = Object.keys(doc.tests);
  assert.ok(names.length > 400, `${names.length} tests`);
  assert.deepEqual([...doc.passed_test_names, ...doc.failed_test_names].sort(), names.sort());
  assert.equal(
    doc.pass_count,
    names.reduce((sum, n) => sum + doc.tests[n]!.pass, 0),
  );
  assert.equal(
    doc.fail_count,
    names.reduce((sum, n) => sum + doc.tests[n]!.fail, 0),
  );
});

test("small documents hold only a type, with several values", async () => {
  const dataset = await openDataset("small", { seed: 1, identical: false });
  const types = new Set<unknown>();
  for (let i = 0; i < 200; i++) {
    const doc = dataset.docAt(i);
    assert.deepEqual(Object.keys(doc), ["_id", "type"]);
    types.add(doc.type);
  }
  assert.ok(types.size >= 3, `types: ${[...types].join(", ")}`);
});

test("documents are deterministic per seed, vary between documents and seeds, and ids are unique", async () => {
  const a = await openDataset("medium", { seed: 5, identical: false });
  const b = await openDataset("medium", { seed: 5, identical: false });
  const c = await openDataset("medium", { seed: 6, identical: false });
  assert.deepEqual(a.docAt(123), b.docAt(123));
  assert.notDeepEqual(a.docAt(123), c.docAt(123));
  assert.notDeepEqual({ ...a.docAt(1), _id: "" }, { ...a.docAt(2), _id: "" });
  const ids = new Set(Array.from({ length: 5000 }, (_, i) => a.docAt(i)._id));
  assert.equal(ids.size, 5000);
  const types = new Set(Array.from({ length: 300 }, (_, i) => a.docAt(i).type));
  assert.ok(types.size >= 3);
});

test("--identical gives verbatim copies of the seed with distinct ids", async () => {
  const template = await seed("medium");
  const dataset = await openDataset("medium", { seed: 1, identical: true });
  assert.equal(dataset.name, "medium-identical");
  const [first, second] = [dataset.docAt(0), dataset.docAt(1)];
  assert.notEqual(first._id, second._id);
  const { _id: _a, ...body } = first;
  assert.deepEqual(body, template);
});

test("a user's JSON array or NDJSON file is used as is, cycled with new ids of the scheme, without _rev or design docs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-dataset-"));
  const docs = [{ _id: "a", _rev: "1-x", type: "t", n: 1 }, { _id: "_design/x", views: {} }, { type: "u" }];
  await writeFile(join(dir, "docs.json"), JSON.stringify(docs));
  await writeFile(join(dir, "docs.ndjson"), docs.map((doc) => JSON.stringify(doc)).join("\n") + "\n");
  for (const file of ["docs.json", "docs.ndjson"]) {
    const dataset = await openDataset(join(dir, file), { seed: 1, identical: false, ids: "uuidv7" });
    const ids = idGenerator("uuidv7", 1);
    assert.equal(dataset.name, "docs");
    assert.deepEqual(dataset.docAt(0), { _id: "a", type: "t", n: 1 });
    assert.equal(dataset.docAt(1)._id, ids(1), "a document without _id gets one of the scheme");
    assert.deepEqual(dataset.docAt(2), { _id: ids(2), type: "t", n: 1 }, "the second pass has new ids");
  }
});

test("bad dataset specs are usage errors that say what to do", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-dataset-"));
  await writeFile(join(dir, "broken.ndjson"), '{"a":1}\n{oops\n');
  await writeFile(join(dir, "scalar.json"), "[1]");
  await assert.rejects(
    openDataset("huge", { seed: 1, identical: false }),
    /--dataset huge: unknown dataset — use small, medium, large/,
  );
  await assert.rejects(
    openDataset(join(dir, "missing.json"), { seed: 1, identical: false }),
    /cannot read the file \(ENOENT\)/,
  );
  await assert.rejects(
    openDataset(join(dir, "broken.ndjson"), { seed: 1, identical: false }),
    /invalid JSON at line 2/,
  );
  await assert.rejects(
    openDataset(join(dir, "scalar.json"), { seed: 1, identical: false }),
    /entry 1 is not a JSON object/,
  );
});
