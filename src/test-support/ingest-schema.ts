import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv from "ajv";
import type { IngestResults } from "../results/ingest-format.js";
import { packageRoot } from "./paths.js";

const schema = JSON.parse(await readFile(join(packageRoot, "src/results/ingest.schema.json"), "utf8")) as object;

/** The ingest results JSON Schema, compiled: for tests of the files ingest writes. */
export const validateIngest = new Ajv.default({ allErrors: true, validateFormats: false }).compile(schema);

/** Reads an ingest.json and fails the test with the schema's complaints when it does not validate. */
export async function readValidIngest(path: string): Promise<IngestResults> {
  const results = JSON.parse(await readFile(path, "utf8")) as IngestResults;
  if (!validateIngest(results))
    throw new Error(`${path} does not match ingest.schema.json: ${JSON.stringify(validateIngest.errors)}`);
  return results;
}
