import assert from "node:assert/strict";
import { test } from "node:test";
import { RUN_PROFILES } from "../bench/profiles.js";
import { runCli } from "../test-support/run-cli.js";
import { resolveRunConfig } from "./run-options.js";

test("with no options: the quick profile, Docker, the three query servers, results/", () => {
  const config = resolveRunConfig({}, new Date("2026-01-02T03:04:05Z"));
  assert.equal(config.targetKind, "docker");
  assert.deepEqual(config.servers, ["javascript", "quickjs", "typescript"]);
  assert.deepEqual(config.datasets, RUN_PROFILES.quick!.datasets);
  assert.deepEqual(config.sizes, RUN_PROFILES.quick!.sizes);
  assert.equal(config.repeat, 3);
  assert.equal(config.runId, "20260102-030405");
  assert.match(config.outDir, /results$/);
  assert.equal(config.updateFraction, 0.1);
  assert.equal(config.verify, true);
});

test("explicit options override the profile; --url and --couchdb-bin pick their target", () => {
  const config = resolveRunConfig({ profile: "classic", sizes: "5,50", q: "2", repeat: "4", memory: "4g", cpus: "1.5" });
  assert.deepEqual(config.sizes, [5, 50]);
  assert.deepEqual(config.maxSizeByDataset, {});
  assert.deepEqual(config.shards, [2]);
  assert.equal(config.repeat, 4);
  assert.equal(config.memoryBytes, 4 * 1024 ** 3);
  assert.equal(config.cpus, 1.5);
  assert.equal(resolveRunConfig({ url: "http://a:b@127.0.0.1:5984/" }).targetKind, "url");
  assert.equal(resolveRunConfig({ couchdbBin: ["/x/bin/couchdb"] }).targetKind, "local");
});

test("--nodes and --n: a cluster for the targets couchbench starts, copies up to its node count", () => {
  const config = resolveRunConfig({ couchdbBin: ["/opt/couchdb/bin/couchdb"], nodes: "3", q: "2", n: "1,3" });
  assert.equal(config.nodes, 3);
  assert.deepEqual(config.replicas, [1, 3]);
  assert.equal(resolveRunConfig({}).nodes, 1);
  assert.equal(resolveRunConfig({}).replicas, undefined);
  // A url target's node count is only known once reached: the runner checks --n there.
  assert.deepEqual(resolveRunConfig({ url: "http://a:b@x:5984", n: "3" }).replicas, [3]);
});

test("bad values name the option and the fix", () => {
  const cases: Array<[Parameters<typeof resolveRunConfig>[0], RegExp]> = [
    [{ sizes: "10,abc" }, /^--sizes: 'abc' is not a positive whole number — e\.g\. --sizes 10,100,1000$/],
    [{ q: "0" }, /^--q: '0' is not a positive whole number/],
    [{ profile: "fast" }, /^--profile fast: unknown profile — use one of quick, classic, ci$/],
    [{ target: "podman" }, /^--target podman: unknown target/],
    [{ servers: "javascript,rust" }, /^--servers: unknown query server 'rust'/],
    [{ target: "url" }, /^--target url needs --url/],
    [{ target: "local" }, /^--target local needs --couchdb-bin/],
    [{ url: "ftp://x" }, /^--url ftp:\/\/x: not an http\(s\) URL/],
    [{ url: "http://x:5984", cpus: "2" }, /^--cpus and --memory limit the Docker container/],
    [{ memory: "lots" }, /^--memory: 'lots' is not a size/],
    [{ update: "half" }, /^--update: 'half' is not a fraction/],
    [{ runId: "My Run" }, /^--run-id My Run: use lower-case letters/],
    [{ nodes: "0" }, /^--nodes: '0' is not a positive whole number/],
    [{ url: "http://x:5984", nodes: "3" }, /^--nodes 3: couchbench starts clusters only for --target local or docker/],
    [{ n: "1,3" }, /^--n 3: more copies than --nodes 1 has nodes — add --nodes 3, or lower --n$/],
    [{ couchdbBin: ["/opt/couchdb/bin/couchdb"], nodes: "2", n: "3" }, /^--n 3: more copies than --nodes 2/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => resolveRunConfig(raw), (error: Error) => message.test(error.message));
  }
});

test("the CLI turns bad input into one line on stderr and exit code 2, never a stack trace", () => {
  for (const args of [["run", "--sizes", "ten"], ["run", "--target", "nowhere"], ["run", "--bogus"], ["frobnicate"]]) {
    const result = runCli(args);
    assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    assert.match(result.stderr.split("\n")[0]!, /^(couchbench: |error: )/);
  }
});

test("--dry-run prints the plan and its estimated duration without touching CouchDB", () => {
  const result = runCli(["run", "--dry-run", "--couchdb", "3.3.3,3.4.3", "--sizes", "10,100", "--servers", "javascript,typescript"]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /couchdb:3\.3\.3 in Docker; couchdb:3\.4\.3 in Docker/);
  assert.match(result.stderr, /builds: +48 \(3 repeats, order rotated\)/);
  assert.match(result.stderr, /estimated: +\d/);
  assert.equal(result.stdout, "");
});
