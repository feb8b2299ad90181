import assert from "node:assert/strict";
import { test } from "node:test";
import { buildSteps, databaseName, estimateDurationMs, measurementKey, planPoints, summarisePlan } from "./plan.js";
import { sampleRunConfig } from "../test-support/sample-results.js";

test("points run by q, then dataset, then ascending size, skipping sizes over a dataset's limit", () => {
  const points = planPoints({
    shards: [1, 2],
    datasets: ["medium", "large"],
    sizes: [1000, 10, 100],
    maxSizeByDataset: { large: 100 },
    ids: ["sequential"],
  });
  assert.deepEqual(
    points.map((p) => `${p.q}/${p.dataset}/${p.docCount}`),
    [
      "1/medium/10",
      "1/medium/100",
      "1/medium/1000",
      "1/large/10",
      "1/large/100",
      "2/medium/10",
      "2/medium/100",
      "2/medium/1000",
      "2/large/10",
      "2/large/100",
    ],
  );
});

test("every size is a point per id scheme, each its own database", () => {
  const points = planPoints({
    shards: [1],
    datasets: ["medium"],
    sizes: [100, 10],
    maxSizeByDataset: {},
    ids: ["sequential", "random"],
  });
  assert.deepEqual(
    points.map((p) => `${p.docCount}/${p.ids}`),
    ["10/sequential", "10/random", "100/sequential", "100/random"],
  );
  assert.equal(new Set(points.map((p) => databaseName("r", p))).size, 4);
});

test("each repeat rotates the design docs and, within each, the servers, so every one runs first once per rotation", () => {
  const steps = buildSteps(["javascript", "typescript"], 2, ["classic", "builtin"]);
  assert.deepEqual(
    steps.map((s) => `${s.repeat}:${s.designDoc}:${s.server}:${s.order}`),
    [
      "1:classic:javascript:1",
      "1:classic:typescript:2",
      "1:builtin:javascript:1",
      "1:builtin:typescript:2",
      "2:builtin:typescript:1",
      "2:builtin:javascript:2",
      "2:classic:typescript:1",
      "2:classic:javascript:2",
    ],
  );
});

test("each repeat rotates the server order so every server runs first once per rotation", () => {
  const steps = buildSteps(["javascript", "quickjs", "typescript"], 3, ["classic"]);
  assert.equal(steps.length, 9);
  const firsts = steps.filter((s) => s.order === 1).map((s) => s.server);
  assert.deepEqual(firsts, ["javascript", "quickjs", "typescript"]);
  for (const repeat of [1, 2, 3]) {
    assert.deepEqual(
      steps
        .filter((s) => s.repeat === repeat)
        .map((s) => s.server)
        .sort(),
      ["javascript", "quickjs", "typescript"],
    );
  }
});

test("measurement keys are unique across the plan and database names are valid CouchDB names", () => {
  const config = sampleRunConfig("classic", { runId: "run-1", ids: ["sequential", "uuidv7"] });
  const points = planPoints(config);
  const keys = points.flatMap((p) =>
    buildSteps(config.servers, 3, ["classic", "compute"]).map((s) => measurementKey("docker-3.5.2", p, s)),
  );
  assert.equal(new Set(keys).size, keys.length);
  for (const point of points) assert.match(databaseName("run-1", point), /^[a-z][a-z0-9_$()+/-]*$/);
  assert.equal(new Set(points.map((p) => databaseName("run-1", p))).size, points.length);
});

test("the plan summary counts every build, and the estimate grows with the work", () => {
  const quick = sampleRunConfig();
  const summary = summarisePlan(quick, 2);
  assert.equal(summary.plannedMeasurements, 2 * planPoints(quick).length * 3 * 3);
  const twoDesignDocs = sampleRunConfig("quick", { designDocs: ["a.json", "b.json"] });
  assert.equal(summarisePlan(twoDesignDocs, 1).plannedMeasurements, 2 * summarisePlan(quick, 1).plannedMeasurements);
  const bigger = sampleRunConfig("quick", { sizes: [100000], maxSizeByDataset: {} });
  assert.ok(
    estimateDurationMs(bigger, 1) >
      estimateDurationMs(sampleRunConfig("quick", { sizes: [1000], maxSizeByDataset: {} }), 1),
  );
  assert.ok(estimateDurationMs(quick, 2) > estimateDurationMs(quick, 1));
});

test("--n adds copies per range as a dimension after q: in points, keys, database names and the plan summary", () => {
  const config = sampleRunConfig("quick", {
    runId: "run-1",
    shards: [2],
    replicas: [1, 3],
    datasets: ["medium"],
    sizes: [10],
    maxSizeByDataset: {},
    nodes: 3,
  });
  const points = planPoints(config);
  assert.deepEqual(points, [
    { q: 2, n: 1, dataset: "medium", docCount: 10, ids: "sequential" },
    { q: 2, n: 3, dataset: "medium", docCount: 10, ids: "sequential" },
  ]);
  const step = { designDoc: "classic", server: "javascript", repeat: 1 };
  assert.deepEqual(
    points.map((p) => measurementKey("local", p, step)),
    ["local/q2/n1/medium/10/sequential/classic/javascript/1", "local/q2/n3/medium/10/sequential/classic/javascript/1"],
  );
  assert.deepEqual(
    points.map((p) => databaseName("run-1", p)),
    ["couchbench-run-1-q2-n1-medium-10-sequential", "couchbench-run-1-q2-n3-medium-10-sequential"],
  );
  const summary = summarisePlan(config, 1);
  assert.equal(summary.nodes, 3);
  assert.deepEqual(summary.replicas, [1, 3]);
  assert.equal(summary.plannedMeasurements, 2 * config.servers.length * config.repeat);
  // Without --n, nothing changes: keys and names of single-node runs stay as they were.
  const single = planPoints({ ...config, replicas: undefined });
  assert.deepEqual(single, [{ q: 2, dataset: "medium", docCount: 10, ids: "sequential" }]);
  assert.equal(measurementKey("local", single[0]!, step), "local/q2/medium/10/sequential/classic/javascript/1");
  assert.equal(summarisePlan({ ...config, nodes: 1, replicas: undefined }, 1).nodes, undefined);
});
