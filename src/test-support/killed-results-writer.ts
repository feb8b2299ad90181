/**
 * Test helper for results-store.test.ts: writes measurements forever until it is killed, several
 * changes at once as a run's runner, progress and interrupt handler do. With `--on-sigint` it
 * answers SIGINT as `couchbench run` does: it marks the run interrupted while the loop's own
 * saves are still in flight, then exits.
 */
import { sampleMeasurement, sampleRunHeader } from "./sample-results.js";
import { resultsPath, ResultsStore } from "../results/results-store.js";

const dir = process.argv[2]!;
const store = await ResultsStore.create(resultsPath(dir, "t"), sampleRunHeader("t", process.argv));
if (process.argv.includes("--on-sigint")) {
  process.once("SIGINT", () => {
    void store.finish("interrupted").then(() => process.exit(130));
  });
}
for (let i = 0; ; i++) {
  await Promise.all([
    store.addMeasurement(sampleMeasurement(`m${i}`)),
    store.updateMeasurement(`m${i}`, { update: { docCount: 1, ms: 1, docsPerSec: 1000 } }),
    store.addNote({ level: "warning", message: `note ${i}` }),
  ]);
  process.stdout.write("saved\n");
}
