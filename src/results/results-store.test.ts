import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertValidResults as assertValid, isValidResults } from "../test-support/results-schema.js";
import type { ResultsFile } from "./results-format.js";
import { sampleMeasurement, sampleRunHeader } from "../test-support/sample-results.js";
import { resultsPath, ResultsStore } from "./results-store.js";

async function newStore(dir: string): Promise<ResultsStore> {
  return ResultsStore.create(
    resultsPath(dir, "t"),
    sampleRunHeader("t", ["node", "couchbench", "run", "--url", "http://admin:secret@h:5984"]),
  );
}

test("the file is valid against the schema from the first write on, and records every change", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-results-"));
  const store = await newStore(dir);
  const path = resultsPath(dir, "t");
  assertValid(JSON.parse(await readFile(path, "utf8")));
  await store.setTarget({
    id: "url",
    kind: "url",
    url: "http://h:5984",
    couchdbVersion: "3.4.3",
    availableServers: ["typescript"],
  });
  await store.addMeasurement(sampleMeasurement("url/q1/medium/10/typescript/1"));
  await store.updateMeasurement("url/q1/medium/10/typescript/1", { update: { docCount: 1, ms: 5, docsPerSec: 200 } });
  await store.addNote({ level: "warning", message: "quickjs missing" });
  await store.finish("completed");
  const written = JSON.parse(await readFile(path, "utf8"));
  assertValid(written);
  assert.equal(written.status, "completed");
  assert.equal(written.measurements[0]?.update?.ms, 5);
  assert.doesNotMatch(written.environment.commandLine, /secret/);
});

test("a plan with --query-server servers is valid; one without its command is not", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-results-"));
  const header = sampleRunHeader("t");
  await ResultsStore.create(resultsPath(dir, "t"), {
    ...header,
    plan: { ...header.plan, queryServers: [{ name: "probe", command: "node probe.js" }] },
  });
  const written = JSON.parse(await readFile(resultsPath(dir, "t"), "utf8")) as ResultsFile;
  assertValid(written);
  assert.deepEqual(written.plan.queryServers, [{ name: "probe", command: "node probe.js" }]);
  assert.equal(isValidResults({ ...written, plan: { ...written.plan, queryServers: [{ name: "probe" }] } }), false);
});

test("resume keeps finished measurements and only errored ones are measured again", async () => {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-results-"));
  const store = await newStore(dir);
  await store.addMeasurement(sampleMeasurement("a"));
  await store.addMeasurement({ ...sampleMeasurement("b"), status: "errored", error: "boom" });
  const resumed = await ResultsStore.resume(resultsPath(dir, "t"));
  assert.equal(resumed.has("a"), true);
  assert.equal(resumed.has("b"), false);
  assert.equal(resumed.snapshot.measurements.length, 2);
});

/** Starts the writer, sends `signal` once it has acknowledged `saves` measurements, and reads what it left. */
async function interruptWriter(
  signal: NodeJS.Signals,
  saves: number,
  args: string[] = [],
): Promise<{ results: unknown; acknowledged: number }> {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-results-"));
  const writer = fileURLToPath(new URL("../test-support/killed-results-writer.js", import.meta.url));
  const child = spawn(process.execPath, [writer, dir, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let acknowledged = 0;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    acknowledged += chunk.split("\n").filter((line) => line === "saved").length;
    if (acknowledged >= saves && !child.killed) child.kill(signal);
  });
  await new Promise((resolve) => child.once("exit", resolve));
  assert.ok(child.killed, `the writer died by itself after ${acknowledged} saves`);
  const text = await readFile(resultsPath(dir, "t"), "utf8");
  let results: unknown;
  assert.doesNotThrow(
    () => (results = JSON.parse(text)),
    `results.json after ${signal} at save ${saves} is not JSON: …${text.slice(-80)}`,
  );
  return { results, acknowledged };
}

test("a writer killed mid-run leaves a valid file holding every measurement it had finished", async () => {
  const { results, acknowledged } = await interruptWriter("SIGKILL", 25);
  assertValid(results);
  assert.equal(results.status, "running");
  assert.ok(
    results.measurements.length >= acknowledged,
    `${results.measurements.length} measurements on disk, ${acknowledged} acknowledged`,
  );
});

test(
  "interrupts at random moments, each marking the run while saves are in flight, always leave a whole, valid file",
  { timeout: 120_000 },
  async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const { results, acknowledged } = await interruptWriter("SIGINT", 1 + Math.floor(Math.random() * 60), [
        "--on-sigint",
      ]);
      assertValid(results);
      assert.equal(results.status, "interrupted");
      assert.ok(results.measurements.length >= acknowledged);
    }
  },
);
