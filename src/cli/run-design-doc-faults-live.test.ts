import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openDataset } from "../bench/datasets/index.js";
import type { ResultsFile } from "../results/results-format.js";
import { liveCouchUrl, SKIP_NO_URL } from "../test-support/live-couch.js";
import { runCli } from "../test-support/run-cli.js";

const SKIP = liveCouchUrl ? false : SKIP_NO_URL;

/** Throws on documents whose id ends in a character code divisible by 10: about one in ten. */
const throwsOn = (id: string) => id.charCodeAt(id.length - 1) % 10 === 0;
const FLAKY_MAP = `function (doc) {
  if (doc._id.charCodeAt(doc._id.length - 1) % 10 === 0) throw new Error("no " + doc._id);
  emit(doc._id, 1);
}`;

async function runDesignDoc(
  views: Record<string, unknown>,
  extra: string[],
): Promise<{ status: number | null; stdout: string; stderr: string; results: ResultsFile }> {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-ddoc-faults-"));
  const ddoc = join(dir, "faulty.json");
  await writeFile(ddoc, JSON.stringify({ views }));
  const result = runCli(
    ["run", "--url", liveCouchUrl!, "--ddoc", ddoc, "--dataset", "small", "--sizes", "100", "--repeat", "1"].concat([
      "--seed",
      "7",
      "--update",
      "0",
      "--out",
      dir,
      "--run-id",
      "faults",
      ...extra,
    ]),
    { timeoutMs: 300_000 },
  );
  const results = JSON.parse(await readFile(join(dir, "faults", "results.json"), "utf8")) as ResultsFile;
  return { ...result, results };
}

test(
  "a map that throws on some documents: each build records how many were left out of which view",
  { skip: SKIP },
  async () => {
    const dataset = await openDataset("small", { seed: 7, identical: false, ids: "sequential" });
    const expected = Array.from({ length: 100 }, (_, i) => dataset.docAt(i)._id as string).filter(throwsOn).length;
    assert.ok(expected >= 3 && expected <= 20, `the fixture throws on about 10% of documents (${expected})`);

    const { status, stdout, stderr, results } = await runDesignDoc(
      { flaky: { map: FLAKY_MAP, reduce: "_count" }, steady: { map: "function (doc) { emit(doc._id, null); }" } },
      ["--servers", "javascript,typescript"],
    );
    assert.equal(status, 0, stderr);
    assert.equal(results.measurements.length, 2);
    for (const m of results.measurements) {
      assert.equal(m.status, "completed", m.error);
      assert.deepEqual(m.leftOut?.byView, { flaky: expected, steady: 0 }, m.server);
      assert.equal(
        m.build!.rowsByView.flaky! + expected,
        100,
        "the rows and the left-out documents are every document",
      );
    }
    assert.ok(results.notes.some((n) => n.message.includes(`"flaky" threw on ${expected} of 100 documents`)));
    assert.match(stdout, new RegExp(`${expected} docs left out \\(map threw\\)`));
    assert.match(stderr, new RegExp(`${expected} of 100 docs left out of flaky`));
  },
);

test(
  "a run where every build is skipped exits 1 and says why first; the servers' and the design doc's faults are told apart",
  { skip: SKIP },
  async () => {
    const { status, stdout, stderr, results } = await runDesignDoc({ by_total: { map: "1 + 1" } }, [
      "--servers",
      "javascript,ghost",
      "--query-server",
      "ghost=node /nonexistent/ghost-server.js",
    ]);
    assert.equal(status, 1, stderr);
    assert.equal(
      stdout.split("\n")[0],
      "### couchbench run `faults` — no build ran: every build was skipped (see the warnings)",
    );
    assert.equal(results.status, "failed");
    assert.deepEqual(
      results.measurements.map((m) => m.status),
      ["skipped", "skipped"],
    );
    const warnings = results.notes.map((n) => n.message);
    assert.ok(
      warnings.some(
        (w) =>
          /^javascript skips design doc faulty: the map of view "by_total" does not compile on javascript \(compilation_error/.test(
            w,
          ) && !w.includes("register"),
      ),
      warnings.join("\n"),
    );
    assert.ok(
      warnings.some((w) => /^ghost is not available on url: unknown_query_language: ghost — register it/.test(w)),
      warnings.join("\n"),
    );
    assert.match(stderr, /\[url\] using the running server at http:\/\/127\.0\.0\.1:\d+\n/);
    assert.doesNotMatch(stderr, /starting|stopping/);
    assert.match(stderr, /no build ran: every build was skipped \(see the warnings\)\n$/);
  },
);
