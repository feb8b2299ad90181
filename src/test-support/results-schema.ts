import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv from "ajv";
import type { ResultsFile } from "../results/results-format.js";
import { packageRoot } from "./paths.js";

const schema = JSON.parse(await readFile(join(packageRoot, "src/results/results.schema.json"), "utf8")) as object;
const validate = new Ajv.default({ allErrors: true, validateFormats: false }).compile(schema);

/** Whether `results` is a valid results file (for tests that expect it not to be). */
export function isValidResults(results: unknown): boolean {
  return validate(results) === true;
}

/** Fails with the schema's complaints unless `results` is a valid results file. */
export function assertValidResults(results: unknown): asserts results is ResultsFile {
  assert.ok(validate(results), JSON.stringify(validate.errors, null, 1));
}

/** Reads a results file as a run left it: it must parse and validate. */
export async function readValidResults(path: string): Promise<ResultsFile> {
  const text = await readFile(path, "utf8");
  let results: unknown;
  assert.doesNotThrow(() => (results = JSON.parse(text)), `${path} is not JSON: …${text.slice(-80)}`);
  assertValidResults(results);
  return results;
}
