/** Test helper for results-store.test.ts: writes measurements forever until it is killed. */
import { resolveRunConfig } from "../cli/run-options.js";
import { hostEnvironment } from "../bench/environment.js";
import { summarisePlan } from "../bench/plan.js";
import { sampleMeasurement } from "./sample-results.js";
import { resultsPath, ResultsStore } from "../bench/results-store.js";

const dir = process.argv[2]!;
const store = await ResultsStore.create(resultsPath(dir, "t"), { runId: "t", plan: summarisePlan(resolveRunConfig({ runId: "t" }), 1), environment: hostEnvironment(process.argv) });
for (let i = 0; ; i++) {
  await store.addMeasurement(sampleMeasurement(`m${i}`));
  process.stdout.write("saved\n");
}
