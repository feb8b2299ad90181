import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ingestConfigFixture, ingestResultsFixture } from "../test-support/ingest-fixture.js";
import { readIngestFiles } from "./load-ingest.js";
import { writeFile } from "node:fs/promises";
import { validateIngest } from "../test-support/ingest-schema.js";
import { IngestStore, ingestResultsPath } from "./ingest-store.js";

test("the ingest file is valid from the first write on, holds every step, and resumes with its steps", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ingest-store-"));
  const path = ingestResultsPath(dir, "t");
  const fixture = ingestResultsFixture();
  const store = await IngestStore.create(path, { runId: "t", plan: fixture.plan, environment: fixture.environment });
  const read = async () => JSON.parse(await readFile(path, "utf8")) as unknown;
  assert.ok(validateIngest(await read()), JSON.stringify(validateIngest.errors));
  await store.setTarget(fixture.targets[0]!);
  const [first, second] = fixture.steps;
  await store.addStep({ ...first!, outcome: "errored", error: "lost the connection" }, []);
  assert.equal(store.has(first!.key), false, "an errored step is measured again");
  // Saves are queued: both land, in order, and the file is whole after each.
  await Promise.all([store.addStep(first!, fixture.knees), store.addStep(second!, fixture.knees)]);
  assert.equal(store.has(first!.key), true);
  await store.finish("interrupted");
  const written = (await read()) as { status: string; steps: Array<{ key: string }> };
  assert.ok(validateIngest(written), JSON.stringify(validateIngest.errors));
  assert.equal(written.status, "interrupted");
  assert.deepEqual(
    written.steps.map((step) => step.key),
    [first!.key, second!.key],
  );

  const resumed = await IngestStore.resume(path);
  assert.equal(resumed.snapshot.status, "running");
  assert.equal(resumed.snapshot.steps.length, 2);
  await assert.rejects(IngestStore.resume(join(dir, "missing.json")));
});

test("files of format version 1 and 2 read alike; another version is one line; a resumed file is written as 2", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ingest-versions-"));
  const write = async (name: string, value: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(value));
    return path;
  };
  const v1 = await write("v1.json", ingestResultsFixture());
  const v2 = await write("v2.json", ingestConfigFixture());
  const v3 = await write("v3.json", { ...ingestConfigFixture(), formatVersion: 3 });
  const [one, two] = (await readIngestFiles([v1, v2]))!;
  assert.equal(one!.formatVersion, 1);
  assert.equal(two!.knees[0]!.config?.[0]?.key, "batch_channels");
  await assert.rejects(readIngestFiles([v3]), /v3\.json has ingest formatVersion 3, this couchbench reads 1 and 2/);
  const resumed = await IngestStore.resume(v1);
  assert.equal(resumed.snapshot.formatVersion, 2);
  assert.ok(validateIngest(JSON.parse(await readFile(v1, "utf8"))), JSON.stringify(validateIngest.errors));
});
