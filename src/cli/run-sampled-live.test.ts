import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CouchClient } from "../couch/couch-client.js";
import type { ResultsFile } from "../results/results-format.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { runCli } from "../test-support/run-cli.js";
import { createSourceDatabase } from "../test-support/source-database.js";

const SERVERS = ["javascript", "quickjs", "typescript"];

test(
  "run --dataset couchdb: × --ids × --ddoc: one run builds identical output on every server and leaves the source untouched",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchUrl) return t.skip(SKIP_NO_URL);
    const client = new CouchClient(liveCouchUrl);
    const name = `couchbench-test-source-${randomBytes(3).toString("hex")}`;
    try {
      const source = await createSourceDatabase(liveCouchUrl, name);
      const before = (await client.databaseInfo(name)).update_seq;
      const out = await mkdtemp(join(tmpdir(), "couchbench-live-sampled-"));
      const args = [
        "run",
        "--url",
        liveCouchUrl,
        "--dataset",
        `couchdb:${liveCouchUrl}/${name}`,
        "--sample",
        "60",
        "--sizes",
        "100",
      ];
      const result = runCli(
        [
          ...args,
          "--ids",
          "sequential,uuidv7",
          "--ddoc",
          "classic,compute",
          "--servers",
          SERVERS.join(","),
          "--repeat",
          "1",
          "--update",
          "0",
          "--out",
          out,
          "--run-id",
          "sampled",
        ],
        { timeoutMs: 540_000 },
      );
      assert.equal(result.status, 0, result.stderr);
      const text = await readFile(join(out, "sampled", "results.json"), "utf8");
      const results = JSON.parse(text) as ResultsFile;
      assert.doesNotMatch(
        text,
        new RegExp(new URL(liveCouchUrl).password || "no-password-in-url"),
        "no credentials in the results file",
      );

      const info = results.datasets?.[0];
      assert.ok(info, "the sample is described");
      assert.equal(info.sampledDocs, 60);
      assert.equal(info.database, name);
      assert.equal(info.updateSeq, before);
      const sampled = [...source.live].sort((a, b) => (a._id < b._id ? -1 : 1)).slice(0, 60);
      assert.equal(info.docsWithAttachments, sampled.filter((doc) => doc._attachments).length);
      assert.deepEqual(results.plan.ids, ["sequential", "uuidv7"]);

      assert.equal(results.measurements.length, 2 * 2 * SERVERS.length);
      const typed = [...sampled, ...sampled.slice(0, 40)].filter((doc) => doc.type !== undefined).length;
      for (const ids of ["sequential", "uuidv7"]) {
        for (const designDoc of ["classic", "compute"]) {
          const point = results.measurements.filter((m) => m.ids === ids && m.designDoc === designDoc);
          assert.deepEqual(point.map((m) => m.server).sort(), [...SERVERS].sort(), `${ids}/${designDoc}`);
          for (const m of point) {
            assert.equal(m.status, "completed", `${m.key}: ${m.error}`);
            assert.ok(
              ["reference", "match"].includes(m.correctness.status),
              `${m.key}: ${m.correctness.detail ?? m.correctness.status}`,
            );
            assert.equal(m.load?.docCount, 100);
          }
          assert.equal(
            new Set(point.map((m) => m.correctness.digest)).size,
            1,
            `${ids}/${designDoc}: every server built the same index`,
          );
          const rows = point[0]!.build!.rowsByView;
          assert.deepEqual(rows, designDoc === "classic" ? { byType: typed, count: 100 } : { count: 100, words: 100 });
        }
      }
      assert.equal((await client.databaseInfo(name)).update_seq, before, "the source database was never written to");
      const report = await readFile(join(out, "sampled", "report.html"), "utf8");
      assert.match(report, /Datasets sampled from CouchDB/);
      assert.match(report, /compute · uuidv7 ids/, "a series per design doc and id scheme");
    } finally {
      await client.deleteDatabase(name);
    }
  },
);
