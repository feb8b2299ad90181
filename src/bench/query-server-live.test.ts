import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { loadDesignDocTemplate } from "./design-docs.js";
import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { CouchClient, CouchHttpError } from "../couch/couch-client.js";
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
  assert.ok(
    results.every((r) => r.ok),
    JSON.stringify(results),
  );
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

test(
  "byType and count/sum(values) rows from the typescript server equal couchjs's, seed docs included",
  { timeout: 120_000 },
  async (t) => {
    if (!client) return t.skip(SKIP_NO_URL);
    const reference = await viewOutputs("javascript");
    const ours = await viewOutputs("typescript");
    assert.deepEqual(ours, reference);
    const byType = reference.byType as { rows: Array<{ id: string; key: string; value: { _id: string } }> };
    assert.deepEqual(byType.rows.map((row) => row.id).sort(), ["large", "medium", "unicode"]);
    assert.equal((reference.countReduced as { rows: Array<{ value: number }> }).rows[0]!.value, 4);
  },
);

test("TypeScript syntax in a typescript design doc builds in CouchDB", { timeout: 60_000 }, async (t) => {
  if (!client) return t.skip(SKIP_NO_URL);
  const id = "_design/typed";
  const map =
    "function (doc: { _id: string; type?: string }): void {\n  const kind: string | undefined = doc.type;\n  if (kind) emit(kind as string, doc._id.length);\n}";
  await client.putDocument(db, {
    _id: id,
    language: "typescript",
    autoupdate: false,
    views: { kinds: { map, reduce: "_sum" } },
  } as { _id: string });
  const rows = (
    await client.queryView<{ rows: Array<{ key: string; value: number }> }>(db, id, "kinds", { reduce: false })
  ).rows;
  assert.deepEqual(
    rows.map((row) => [row.key, row.value]),
    [
      ["fennec-test-run", 5],
      ["tcm-testcase", 6],
      ["ünïcødé 🚀", 7],
    ],
  );
});

/** Pids of this host's processes running a query-server.js bundle that use a CPU fully (over 0.2 s). */
async function spinningQueryServers(): Promise<number[]> {
  const cpuTicks = async (pid: string) => {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  };
  const pids: string[] = [];
  for (const pid of (await readdir("/proc").catch(() => [])).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes("query-server.js")) pids.push(pid);
  }
  const before = await Promise.all(pids.map(cpuTicks));
  await sleep(200);
  const after = await Promise.all(pids.map(cpuTicks));
  // Clock ticks are 10 ms: a spinning process gains ~20 in 200 ms, an idle one 0.
  return pids.filter((_, i) => after[i]! - before[i]! >= 15).map(Number);
}

test(
  "CouchDB stops a typescript map function that never returns itself: its timeout error, and the spinning process is killed",
  { timeout: 60_000 },
  async (t) => {
    if (!client) return t.skip(SKIP_NO_URL);
    // The query server runs without a watchdog of its own (see src/queryserver/README.md, Timeout): this is what it
    // relies on.
    const id = "_design/endless";
    await client.putDocument(db, {
      _id: id,
      language: "typescript",
      autoupdate: false,
      views: { loop: { map: "function (doc) { while (true) {} }" } },
    } as { _id: string });
    const query = client.queryView(db, id, "loop").then(
      () => assert.fail("the view answered"),
      (error: unknown) => error,
    );
    let spinning: number[] = [];
    for (let tries = 0; tries < 15 && spinning.length === 0; tries++) spinning = await spinningQueryServers();
    const error = await query;
    assert.ok(error instanceof CouchHttpError && error.reason === "OS process timed out.", String(error));
    if (spinning.length === 0)
      return t.diagnostic(
        "no query-server.js process of this CouchDB on this host (a remote CouchDB?): that it was killed is not checked",
      );
    await sleep(500);
    const gone = await Promise.all(
      spinning.map((pid) =>
        readFile(`/proc/${pid}/stat`).then(
          () => false,
          () => true,
        ),
      ),
    );
    assert.ok(
      gone.every(Boolean),
      `still running after CouchDB's timeout: ${spinning.filter((_, i) => !gone[i]).join(", ")}`,
    );
  },
);
