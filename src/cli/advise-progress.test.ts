import assert from "node:assert/strict";
import { test } from "node:test";
import { adviseBuildMs, estimateAdviseMs, type AdviseEstimateInputs } from "../bench/advise/advise-plan.js";
import { loadUserDesignDoc } from "../bench/advise/user-design-doc.js";
import { deriveVariants, type VariantContext } from "../bench/advise/variants.js";
import { seconds } from "./duration-text.js";
import { AdviseProgress } from "./advise-progress.js";

const context: VariantContext = {
  availableServers: ["javascript", "quickjs", "typescript"],
  servers: ["javascript", "quickjs", "typescript"],
  defaultQ: 2,
  hostCores: 2,
  generatedIds: true,
};
const inputs: AdviseEstimateInputs = { dataset: "medium", docCount: 2000, repeat: 2, targetStartMs: 0 };

/** Every build of the first repeat, each taking `pace` times what the plan expects of it. */
async function firstRepeat(pace: number): Promise<{ lines: string[]; estimateMs: number }> {
  const { design } = await loadUserDesignDoc("classic");
  const derived = deriveVariants(design, context);
  const all = [derived.original, ...derived.variants];
  let clock = 0;
  const lines: string[] = [];
  const progress = new AdviseProgress(
    { write: (text: string) => (lines.push(text), true) } as unknown as NodeJS.WritableStream,
    inputs,
    () => clock,
  );
  progress.handle({ type: "plan", derived, context });
  for (const [i, variant] of all.entries()) {
    clock += pace * adviseBuildMs(all, variant, 1, "variant", inputs);
    progress.handle({
      type: "build",
      variant,
      repeat: 1,
      build: { repeat: 1, order: i + 1, ms: 500, queryServerStats: {} },
    });
  }
  return { lines, estimateMs: estimateAdviseMs(all, inputs) };
}

const corrections = (lines: string[]) => lines.filter((line) => line.includes("estimate corrected"));

test("advise: builds twice as slow as the plan's estimate correct the total once, to twice the estimate", async () => {
  const { lines, estimateMs } = await firstRepeat(2);
  assert.deepEqual(corrections(lines), [
    `  estimate corrected: about ${seconds(2 * estimateMs)} in all, not ${seconds(estimateMs)} (this run goes 2.0× slower than that estimate)\n`,
  ]);
});

test("advise: builds as fast as the plan's estimate leave the estimate alone", async () => {
  const { lines } = await firstRepeat(1.1);
  assert.deepEqual(corrections(lines), []);
});
