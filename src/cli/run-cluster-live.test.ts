import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ResultsFile } from "../results/results-format.js";
import { liveCouchBin, SKIP_NO_BIN } from "../test-support/live-couch.js";
import { engineAddress } from "../test-support/live-docker.js";
import { cliEntry } from "../test-support/paths.js";
import { runCli } from "../test-support/run-cli.js";

const DOCKER_VERSION = "3.4.3";

async function resultsOf(out: string, runId: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(out, runId, "results.json"), "utf8")) as ResultsFile;
}

/** Both build times, identical output across servers and copies, at every q × n point of a 3-node cluster. */
function assertClusterRun(results: ResultsFile, servers: string[]): void {
  assert.equal(results.status, "completed");
  assert.equal(results.targets[0]!.cluster?.nodeCount, 3);
  assert.equal(results.plan.nodes, 3);
  assert.deepEqual(results.plan.replicas, [1, 3]);
  for (const n of [1, 3]) {
    const point = results.measurements.filter((m) => m.n === n);
    assert.deepEqual([...new Set(point.map((m) => m.server))].sort(), [...servers].sort());
    for (const m of point) {
      assert.equal(m.status, "completed", `${m.key}: ${m.error}`);
      assert.ok(
        ["reference", "match"].includes(m.correctness.status),
        `${m.key}: ${m.correctness.status} ${m.correctness.detail ?? ""}`,
      );
      assert.equal(m.build!.copies, 2 * n, `${m.key}: q=2 × n=${n} copies checked`);
      assert.ok(m.build!.allCopiesMs! >= m.build!.ms, `${m.key}: every copy after the first answer`);
    }
    assert.equal(
      new Set(point.map((m) => m.correctness.digest)).size,
      1,
      `n=${n}: every server produced the same view output`,
    );
  }
}

function clusterArgs(out: string, runId: string): string[] {
  return [
    "run",
    "--nodes",
    "3",
    "--q",
    "2",
    "--n",
    "1,3",
    "--servers",
    "javascript,typescript",
    "--dataset",
    "medium",
    "--sizes",
    "200",
    "--repeat",
    "1",
    "--update",
    "0",
    "--out",
    out,
    "--run-id",
    runId,
  ];
}

/** Starts the CLI, sends SIGINT once stderr matches `when`, and resolves with its exit and output. */
function interruptWhen(
  args: string[],
  when: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.on("exit", (code) => resolveRun({ code, stderr }));
  });
}

function localNodesOf(stderr: string): string[] {
  const token = /couchdb1-(\d+)@127\.0\.0\.1/.exec(stderr)?.[1];
  assert.ok(token, "the run named its nodes");
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(`-${token}@127.0.0.1`));
}

test(
  "run --target local --nodes 3 --q 2 --n 1,3: both build times, identical output across servers and copies, no node left",
  { timeout: 600_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const out = await mkdtemp(join(tmpdir(), "couchbench-cluster-live-"));
    const result = runCli([...clusterArgs(out, "local"), "--target", "local", "--couchdb-bin", liveCouchBin], {
      timeoutMs: 600_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assertClusterRun(await resultsOf(out, "local"), ["javascript", "typescript"]);
    assert.match(result.stdout, /\| Every copy \|/);
    assert.deepEqual(localNodesOf(result.stderr), []);
  },
);

test("Ctrl-C stops every node of a local cluster, mid-build and mid-start-up", { timeout: 600_000 }, async (t) => {
  if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
  const out = await mkdtemp(join(tmpdir(), "couchbench-cluster-int-"));
  for (const [runId, moment] of [
    ["mid-build", /javascript #1|typescript #1/],
    ["mid-start", /joining couchdb1-/],
  ] as const) {
    const { code, stderr } = await interruptWhen(
      [...clusterArgs(out, runId), "--target", "local", "--couchdb-bin", liveCouchBin],
      moment,
    );
    assert.equal(code, 130, stderr);
    assert.equal((await resultsOf(out, runId)).status, "interrupted");
    assert.deepEqual(localNodesOf(stderr), [], `${runId}: no node left running`);
  }
});

test(
  "run --target docker --nodes 3: the same cluster in containers, all removed afterwards, on Ctrl-C too",
  { timeout: 900_000 },
  async (t) => {
    const missing = dockerProblem();
    if (missing) return t.skip(missing);
    const out = await mkdtemp(join(tmpdir(), "couchbench-cluster-docker-"));
    const env = {};
    const dockerArgs = (runId: string) => [
      ...clusterArgs(out, runId),
      "--target",
      "docker",
      "--couchdb",
      DOCKER_VERSION,
    ];
    const result = runCli(dockerArgs("docker"), { timeoutMs: 900_000, env });
    assert.equal(result.status, 0, result.stderr);
    const results = await resultsOf(out, "docker");
    assertClusterRun(results, ["javascript", "typescript"]);
    assert.match(
      results.targets[0]!.url,
      new RegExp(`^http://${(await engineAddress()).replaceAll(".", "\\.")}:\\d+$`),
      "published on the engine's address only",
    );
    assert.deepEqual(clusterContainers(), [], "every container removed");
    const interrupted = await interruptWhen(dockerArgs("docker-int"), /javascript #1|typescript #1/, env);
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.deepEqual(clusterContainers(), [], "every container removed after Ctrl-C");
  },
);

/** Why the Docker test cannot run here, or undefined. */
function dockerProblem(): string | undefined {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 });
  } catch {
    return "no Docker engine is reachable: start Docker to run this test";
  }
  try {
    execFileSync("docker", ["image", "inspect", `couchdb:${DOCKER_VERSION}`], { stdio: "ignore" });
  } catch {
    return `the couchdb:${DOCKER_VERSION} image is not present: docker pull couchdb:${DOCKER_VERSION} to run this test`;
  }
  const reaper = execFileSync("docker", ["image", "ls", "--quiet", "testcontainers/ryuk"], { encoding: "utf8" }).trim();
  if (!reaper && process.env.TESTCONTAINERS_RYUK_DISABLED !== "true") {
    return "testcontainers' reaper image (testcontainers/ryuk) is not present: pull it, or set TESTCONTAINERS_RYUK_DISABLED=true where it cannot be pulled, to run this test";
  }
  return undefined;
}

function clusterContainers(): string[] {
  return execFileSync("docker", ["ps", "-a", "--filter", "name=couchbench-", "--format", "{{.Names}}"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((name) => /^couchbench-[0-9a-f]{8}-couchdb\d+$/.test(name));
}
