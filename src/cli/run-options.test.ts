import assert from "node:assert/strict";
import { basename } from "node:path";
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
  const config = resolveRunConfig({
    profile: "classic",
    sizes: "5,50",
    q: "2",
    repeat: "4",
    memory: "4g",
    cpus: "1.5",
  });
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
    assert.throws(
      () => resolveRunConfig(raw),
      (error: Error) => message.test(error.message),
    );
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
  const result = runCli([
    "run",
    "--dry-run",
    "--couchdb",
    "3.3.3,3.4.3",
    "--sizes",
    "10,100",
    "--servers",
    "javascript,typescript",
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /couchdb:3\.3\.3 in Docker; couchdb:3\.4\.3 in Docker/);
  assert.match(result.stderr, /builds: +48 \(3 repeats, order rotated\)/);
  assert.match(result.stderr, /estimated: +\d/);
  assert.equal(result.stdout, "");
});

test("--ids and --ddoc take several values; the default is CouchDB's own ids and the classic design doc", () => {
  const defaults = resolveRunConfig({});
  assert.deepEqual(defaults.ids, ["sequential"]);
  assert.deepEqual(
    defaults.designDocs.map((path) => basename(path)),
    ["classic.json"],
  );
  const config = resolveRunConfig({ ids: "random,uuidv7,random", ddoc: "classic,builtin,./my-views.json" });
  assert.deepEqual(config.ids, ["random", "uuidv7"]);
  assert.deepEqual(
    config.designDocs.map((path) => basename(path)),
    ["classic.json", "builtin.json", "my-views.json"],
  );
  assert.equal(config.designDoc, config.designDocs[0]);
  assert.throws(
    () => resolveRunConfig({ ids: "sequential,guid" }),
    /--ids: unknown id scheme 'guid' — use any of sequential, random, uuidv7/,
  );
  assert.throws(
    () => resolveRunConfig({ ddoc: "classic,other/classic.json" }),
    /--ddoc: two design docs are named 'classic'/,
  );
});

test("a couchdb: dataset is recorded without its credentials, which only the reader keeps", () => {
  const config = resolveRunConfig({
    dataset: "medium,couchdb:http://reader:s3cret@10.0.0.5:5984/orders",
    sample: "300",
  });
  assert.deepEqual(config.datasets, ["medium", "couchdb:http://10.0.0.5:5984/orders"]);
  assert.deepEqual(config.datasetLocations, {
    "couchdb:http://10.0.0.5:5984/orders": "couchdb:http://reader:s3cret@10.0.0.5:5984/orders",
  });
  assert.equal(config.sample, 300);
  assert.throws(() => resolveRunConfig({ sample: "300" }), /--sample sets how many documents a couchdb: dataset reads/);
  assert.throws(
    () => resolveRunConfig({ dataset: "couchdb:http://reader:s3cret@10.0.0.5:5984" }),
    (error: Error) => /ending in the database name/.test(error.message) && !error.message.includes("s3cret"),
  );
});

test("an unknown library design doc names the library", () => {
  const result = runCli(["run", "--ddoc", "fancy", "--dry-run"]);
  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /--ddoc fancy: no such design doc in designdocs\/ — use classic, builtin, compute, many-views, emit-null, by-field or a path/,
  );
});

test("--repeat auto (the ci profile's) records its policy; its bounds need it", () => {
  const ci = resolveRunConfig({ profile: "ci" });
  assert.deepEqual(ci.repeatPolicy, {
    minRepeats: 3,
    maxRepeats: 10,
    targetWidth: 0.05,
    minBuildMs: 1000,
    reference: "javascript",
  });
  assert.equal(ci.repeat, 10);
  const own = resolveRunConfig({ repeat: "auto", maxRepeat: "6", intervalWidth: "3%", servers: "typescript,quickjs" });
  assert.deepEqual(own.repeatPolicy, {
    minRepeats: 3,
    maxRepeats: 6,
    targetWidth: 0.03,
    minBuildMs: 1000,
    reference: "typescript",
  });
  assert.equal(resolveRunConfig({ profile: "ci", repeat: "2" }).repeatPolicy, undefined);
  assert.throws(
    () => resolveRunConfig({ maxRepeat: "5" }),
    /--max-repeat and --interval-width bound --repeat auto — add --repeat auto, or drop them$/,
  );
  assert.throws(
    () => resolveRunConfig({ repeat: "often" }),
    /--repeat: 'often' is not a positive whole number — e\.g\. --repeat 3 or auto/,
  );
  assert.throws(() => resolveRunConfig({ repeat: "auto", intervalWidth: "0" }), /--interval-width 0: must be above 0/);
});
