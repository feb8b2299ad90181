import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { noopQueryServerScript } from "../../core/package-paths.js";
import { nodeCommand } from "./default-servers.js";
import { measureServer, type MeasureOptions } from "./measure-server.js";
import { QueryServerError } from "./server-process.js";
import { planViewBuild } from "./view-build-stream.js";

const FAKE_SERVER = fileURLToPath(new URL("./test-support/fake-query-server.js", import.meta.url));
const SUM = "function (keys, values, rereduce) { return sum(values); }";
const COUNT = "function (keys, values, rereduce) { return rereduce ? sum(values) : values.length; }";
const ddoc = {
  views: {
    total: { map: "function (doc) { emit(doc._id, doc.n); }", reduce: SUM },
    count: { map: "function (doc) { emit(doc._id, doc.n); }", reduce: COUNT },
    byN: { map: "function (doc) { emit(doc.n, null); }" },
    builtin: { map: "function (doc) { emit(doc.n, null); }", reduce: "_count" },
  },
};

function options(docCount: number, overrides: Partial<MeasureOptions> = {}): MeasureOptions {
  return {
    plan: planViewBuild(ddoc),
    docCount,
    // Ids in reverse collation order, so the reduce batches must have been sorted.
    docAt: (index) => ({ _id: `d${String(docCount - index).padStart(4, "0")}`, n: index }),
    replyTimeoutMs: 5000,
    ...overrides,
  };
}

function fake(name: string, ...flags: string[]) {
  return { name, command: `${nodeCommand(FAKE_SERVER)} ${flags.join(" ")}` };
}

async function recorded(
  docCount: number,
): Promise<{ lines: unknown[][]; sample: Awaited<ReturnType<typeof measureServer>> }> {
  const file = join(await mkdtemp(join(tmpdir(), "qs-bench-")), "stdin.jsonl");
  const sample = await measureServer(fake("recorder", "--emit-id", "--log", "--record", file), options(docCount));
  const lines = (await readFile(file, "utf8"))
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown[]);
  return { lines, sample };
}

describe("the stream qs-bench sends", () => {
  it("is CouchDB's: reset, add_fun per distinct map in source order, map_doc per document", async () => {
    const { lines } = await recorded(3);
    assert.deepEqual(lines.slice(0, 3), [
      ["reset", { reduce_limit: true, timeout: 5000 }],
      ["add_fun", "function (doc) { emit(doc._id, doc.n); }"],
      ["add_fun", "function (doc) { emit(doc.n, null); }"],
    ]);
    const docs = lines.slice(3, 6);
    assert.deepEqual(
      docs.map((line) => line[0]),
      ["map_doc", "map_doc", "map_doc"],
    );
    assert.deepEqual(
      docs.map((line) => Object.keys(line[1] as object)),
      Array(3).fill(["_id", "_rev", "n"]),
    );
    assert.deepEqual(
      docs.map((line) => (line[1] as { _id: string })._id),
      ["d0003", "d0002", "d0001"],
    );
    assert.match((docs[0]![1] as { _rev: string })._rev, /^1-[0-9a-f]{32}$/);
  });

  it("reduces each B-tree leaf of sorted rows, then rereduces one function per call, each after a reset", async () => {
    const docCount = 150;
    const { lines, sample } = await recorded(docCount);
    const afterMap = lines.slice(3 + docCount);
    const commands = afterMap.map((line) => line[0]);
    assert.deepEqual(
      commands.filter((_, i) => i % 2 === 0),
      Array(commands.length / 2).fill("reset"),
    );
    assert.ok(
      commands.filter((_, i) => i % 2 === 1).every((command) => command === "reduce" || command === "rereduce"),
    );
    const reduces = afterMap.filter((line) => line[0] === "reduce");
    const rereduces = afterMap.filter((line) => line[0] === "rereduce");
    assert.ok(reduces.length > 1, "150 rows of ~30 bytes fill more than one 1279-byte leaf");
    assert.deepEqual(
      reduces.map((line) => line[1]),
      Array(reduces.length).fill([SUM, COUNT]),
    );
    const rows = reduces.flatMap((line) => line[2] as [[string, string], number][]);
    const expected = Array.from({ length: docCount }, (_, i) => {
      const id = `d${String(i + 1).padStart(4, "0")}`;
      return [[id, id], 1];
    });
    assert.deepEqual(rows, expected, "every row once, in key order, as [[key, docid], value]");
    // The fake emits [doc._id, 1] and sums: the root's rereduce must combine exactly the leaves' answers.
    const leafSums = reduces.map((line) => (line[2] as [unknown, number][]).reduce((sum, row) => sum + row[1], 0));
    assert.deepEqual(rereduces, [
      ["rereduce", [SUM], leafSums],
      ["rereduce", [COUNT], leafSums],
    ]);
    assert.equal(sample.reduceCalls, reduces.length);
    assert.equal(sample.rereduceCalls, 2);
  });
});

describe("measuring a run", () => {
  it("runs the noop server: no emits, so no reduce work", async () => {
    const sample = await measureServer({ name: "noop", command: nodeCommand(noopQueryServerScript) }, options(200));
    assert.equal(sample.docs, 200);
    assert.equal(sample.reduceCalls + sample.rereduceCalls, 0);
    assert.ok(sample.docBytes > 200 * 40);
    assert.ok(sample.latencyP50Ms <= sample.latencyP99Ms);
    if (process.platform === "linux") assert.ok(sample.cpuMs !== null && sample.peakMemoryBytes! > 0);
  });

  it("waits for a slow server as long as each answer comes within the timeout", async () => {
    const sample = await measureServer(fake("slow", "--sleep-ms", "5"), options(10));
    assert.equal(sample.docs, 10);
  });

  it("gives up on a server slower than the per-answer timeout", async () => {
    // A shell server starts in milliseconds, so only its map_doc can be the slow answer.
    const sluggish = {
      name: "sluggish",
      command: 'while read line; do case "$line" in *map_doc*) sleep 1;; esac; echo true; done',
    };
    await assert.rejects(
      measureServer(sluggish, options(3, { replyTimeoutMs: 300 })),
      oneLine(/^server "sluggish" no answer to map_doc of "d0003" within 300 ms \(CouchDB's os_process_timeout\)$/),
    );
  });
});

describe("a broken server gets a one-line error naming it", () => {
  it("when it crashes", async () => {
    await assert.rejects(
      measureServer(fake("crashy", "--crash-at-doc", "2"), options(5)),
      oneLine(
        /^server "crashy" exited with status 3 while waiting for the answer to map_doc of "d0004" \(last stderr line: fake server crashing at d0004\)$/,
      ),
    );
  });

  it("when it answers with a line that is not JSON", async () => {
    await assert.rejects(
      measureServer(fake("garbage", "--garbage-at-doc", "1"), options(5)),
      oneLine(/^server "garbage" answered map_doc of "d0005" with a line that is not JSON: this is not json$/),
    );
  });

  it("when it answers with JSON of the wrong shape", async () => {
    await assert.rejects(
      measureServer({ name: "echo", command: "while read line; do echo 42; done" }, options(5)),
      oneLine(/^server "echo" answered the first reset with 42, expected true$/),
    );
  });

  it("when it cannot be started", async () => {
    await assert.rejects(
      measureServer({ name: "missing", command: "/nonexistent/query-server" }, options(5)),
      oneLine(/^server "missing" exited with status 127 .*the first reset \(last stderr line: .*not found\)$/),
    );
  });
});

function oneLine(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof QueryServerError, `expected a QueryServerError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, pattern);
    return true;
  };
}
