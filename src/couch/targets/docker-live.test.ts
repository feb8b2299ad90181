/**
 * DockerTarget against the real Docker engine, skipped without one (or without the couchdb:3.4.3
 * image: couchbench never pulls in tests).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CouchClient } from "../couch-client.js";
import { engineAddress } from "../../test-support/live-docker.js";
import { runCli } from "../../test-support/run-cli.js";
import { DockerTarget } from "./docker-target.js";

const VERSION = "3.4.3";

function docker(args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", timeout: 30_000 }).trim();
}

function whyNoDocker(): string | undefined {
  try {
    docker(["info"]);
  } catch {
    return "no Docker engine (or docker CLI) here";
  }
  return docker(["images", "-q", `couchdb:${VERSION}`])
    ? undefined
    : `the couchdb:${VERSION} image is not on this machine (tests never pull)`;
}

/** This process's testcontainers session: every container it creates carries that label. */
async function sessionContainers(): Promise<string[]> {
  const { getContainerRuntimeClient, getReaper, LABEL_TESTCONTAINERS_SESSION_ID } = await import("testcontainers");
  const reaper = await getReaper(await getContainerRuntimeClient());
  const ids = docker(["ps", "-aq", "--filter", `label=${LABEL_TESTCONTAINERS_SESSION_ID}=${reaper.sessionId}`]);
  return ids ? ids.split("\n") : [];
}

async function whyNoReaper(): Promise<string | undefined> {
  return sessionContainers().then(
    () => undefined,
    (error: unknown) =>
      `testcontainers' reaper cannot start here (${String((error as Error).message).split("\n")[0]}): set TESTCONTAINERS_RYUK_DISABLED=true`,
  );
}

test(
  "a started container: port on the engine's address only, swap = memory, a node name so _versions answers; stop removes it with its volume",
  { timeout: 300_000 },
  async (t) => {
    const skip = whyNoDocker() ?? (await whyNoReaper());
    if (skip) return t.skip(skip);
    const target = new DockerTarget(VERSION, { cpus: 1, memoryBytes: 1024 ** 3 });
    const messages: string[] = [];
    const couch = await target.start((message) => messages.push(message));
    const [id] = await sessionContainers();
    try {
      assert.ok(id, "the container carries this session's label");
      const inspected = JSON.parse(docker(["inspect", id!]))[0];
      assert.deepEqual(
        inspected.HostConfig.PortBindings["5984/tcp"].map((b: { HostIp: string }) => b.HostIp),
        [await engineAddress()],
      );
      assert.equal(inspected.HostConfig.Memory, 1024 ** 3);
      assert.equal(inspected.HostConfig.MemorySwap, 1024 ** 3);
      assert.ok(inspected.Config.Env.includes("NODENAME=127.0.0.1"));
      const versions = await new CouchClient(couch.url).nodeVersions();
      assert.ok((versions.javascript_engine as { name?: string } | undefined)?.name, JSON.stringify(versions));
      assert.ok(
        !messages.some((m) => /pull/.test(m)),
        `nothing to pull, nothing said about pulling: ${messages.join("; ")}`,
      );
      const volumes = (inspected.Mounts as Array<{ Type: string; Name?: string }>)
        .filter((m) => m.Type === "volume")
        .map((m) => m.Name!);
      await couch.stop();
      assert.deepEqual(await sessionContainers(), []);
      for (const volume of volumes)
        assert.throws(
          () => execFileSync("docker", ["volume", "inspect", volume], { stdio: "ignore" }),
          `volume ${volume} removed`,
        );
    } finally {
      await couch.stop();
    }
  },
);

test("aborting while the container is still starting removes it: nothing is left", { timeout: 300_000 }, async (t) => {
  const skip = whyNoDocker() ?? (await whyNoReaper());
  if (skip) return t.skip(skip);
  const target = new DockerTarget(VERSION, {});
  await target.prepare(() => {});
  const controller = new AbortController();
  const starting = target.start(() => {}, controller.signal);
  // Ctrl-C once the container exists, before CouchDB in it answers /_up (it takes seconds to boot).
  for (let attempt = 0; attempt < 400 && (await sessionContainers()).length === 0; attempt++) await sleep(50);
  controller.abort(new Error("Ctrl-C"));
  await assert.rejects(starting, /Ctrl-C/);
  for (let attempt = 0; attempt < 20 && (await sessionContainers()).length > 0; attempt++) await sleep(250);
  assert.deepEqual(await sessionContainers(), []);
});

test("a container that does not answer /_up in time is removed, not left running", { timeout: 300_000 }, async (t) => {
  const skip = whyNoDocker() ?? (await whyNoReaper());
  if (skip) return t.skip(skip);
  const target = new DockerTarget(VERSION, {}, 300);
  await assert.rejects(
    target.start(() => {}),
    /did not answer GET \/_up with status ok within 0\.3 s/,
  );
  assert.deepEqual(await sessionContainers(), []);
});

test(
  "a reaper image that cannot be pulled is named, with TESTCONTAINERS_RYUK_DISABLED=true and what it costs",
  { timeout: 120_000 },
  async (t) => {
    const skip = whyNoDocker();
    if (skip) return t.skip(skip);
    const result = runCli(
      ["run", "--couchdb", VERSION, "--sizes", "10", "--out", await mkdtemp(join(tmpdir(), "couchbench-ryuk-"))],
      {
        env: { TESTCONTAINERS_RYUK_DISABLED: "", RYUK_CONTAINER_IMAGE: "couchbench-test/no-such-reaper:0" },
        timeoutMs: 110_000,
      },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      /couchbench: testcontainers could not start its reaper container couchbench-test\/no-such-reaper:0: .* set TESTCONTAINERS_RYUK_DISABLED=true to run without the reaper \(then nothing removes/,
    );
    assert.doesNotMatch(result.stderr, /building couchbench-couchdb:\S+ failed/);
  },
);

test(
  "a CouchDB version without an image fails before the first measurement, with the pull's own error",
  { timeout: 120_000 },
  async (t) => {
    const skip = whyNoDocker() ?? (await whyNoReaper());
    if (skip) return t.skip(skip);
    const out = await mkdtemp(join(tmpdir(), "couchbench-missing-image-"));
    const result = runCli(["run", "--couchdb", `${VERSION},0.0.1`, "--sizes", "10", "--out", out, "--run-id", "m"], {
      timeoutMs: 110_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      /couchbench: pulling couchdb:0\.0\.1 failed: .+ — check that couchdb:0\.0\.1 exists on Docker Hub/,
    );
    assert.doesNotMatch(result.stderr, /starting couchdb:3\.4\.3/, "no target started before every image was checked");
  },
);
