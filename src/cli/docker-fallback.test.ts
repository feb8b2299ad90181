import assert from "node:assert/strict";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sampleRunConfig } from "../test-support/sample-results.js";
import { fallBackFromDocker } from "./docker-fallback.js";

const dockerDefault = sampleRunConfig("quick", { targetKind: "docker", url: undefined });

async function packagedRelease(): Promise<string> {
  const bin = join(await mkdtemp(join(tmpdir(), "couchbench-packaged-")), "couchdb");
  await writeFile(bin, "#!/bin/sh\n");
  await chmod(bin, 0o755);
  return bin;
}

test("no Docker engine and a packaged CouchDB: one line, and the local target on that release", async () => {
  const packagedBin = await packagedRelease();
  const said: string[] = [];
  const config = await fallBackFromDocker(dockerDefault, {}, (line) => said.push(line), {
    engineReachable: () => Promise.resolve(false),
    packagedBin,
  });
  assert.equal(config.targetKind, "local");
  assert.deepEqual(config.couchdbBins, [packagedBin]);
  assert.deepEqual(said, [
    `no Docker engine is reachable; using the CouchDB installed at ${packagedBin} (--target local)`,
  ]);
});

test("Docker stays the target when an engine answers, when Docker was asked for, or when no release is installed", async () => {
  const packagedBin = await packagedRelease();
  const noEngine = { engineReachable: () => Promise.resolve(false), packagedBin };
  const silent = (line: string) => assert.fail(`said ${line}`);
  assert.equal(
    (await fallBackFromDocker(dockerDefault, {}, silent, { engineReachable: () => Promise.resolve(true), packagedBin }))
      .targetKind,
    "docker",
  );
  assert.equal((await fallBackFromDocker(dockerDefault, { target: "docker" }, silent, noEngine)).targetKind, "docker");
  assert.equal((await fallBackFromDocker(dockerDefault, { couchdb: "3.4.3" }, silent, noEngine)).targetKind, "docker");
  assert.equal(
    (
      await fallBackFromDocker(dockerDefault, {}, silent, {
        ...noEngine,
        packagedBin: join(tmpdir(), "no-such-couchdb"),
      })
    ).targetKind,
    "docker",
  );
});
