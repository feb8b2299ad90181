import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv from "ajv";
import { packageRoot } from "./paths.js";

const schema = JSON.parse(await readFile(join(packageRoot, "src/results/advise.schema.json"), "utf8")) as object;

/** The advise results JSON Schema, compiled: for tests of the files advise writes. */
export const validateAdvise = new Ajv.default({ allErrors: true, validateFormats: false }).compile(schema);

const progressSchema = JSON.parse(
  await readFile(join(packageRoot, "src/results/advise-progress.schema.json"), "utf8"),
) as object;

/** The advise progress JSON Schema (advise-progress.json), compiled. */
export const validateAdviseProgress = new Ajv.default({ allErrors: true, validateFormats: false }).compile(
  progressSchema,
);
