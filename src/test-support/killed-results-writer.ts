/** Test helper for results-store.test.ts: writes measurements forever until it is killed. */
import { sampleMeasurement, sampleRunHeader } from "./sample-results.js";
import { resultsPath, ResultsStore } from "../results/results-store.js";

const dir = process.argv[2]!;
const store = await ResultsStore.create(resultsPath(dir, "t"), sampleRunHeader("t", process.argv));
for (let i = 0; ; i++) {
  await store.addMeasurement(sampleMeasurement(`m${i}`));
  process.stdout.write("saved\n");
}
