import { access } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { UsageError } from "../../core/errors.js";
import { datasetsDir } from "../../core/package-paths.js";
import { fileDocId, readDocumentFile } from "./file-dataset.js";
import { readProfile, type BodyGenerator, type DocBody, type GeneratorName } from "./profile.js";
import { randomFor } from "./random.js";
import { testcaseGenerator } from "./testcase-generator.js";
import { testrunGenerator } from "./testrun-generator.js";
import { typedGenerator } from "./typed-generator.js";

export type { DocBody } from "./profile.js";

/** A deterministic, random-access source of documents. */
export interface Dataset {
  name: string;
  description: string;
  /** Document `index` (0-based), `_id` first; the same for the same seed on every machine. */
  docAt(index: number): DocBody;
}

export interface DatasetOptions {
  seed: number;
  /** The classic setup: every document is a verbatim copy of the template (only `_id` differs). */
  identical: boolean;
}

const GENERATORS: Record<GeneratorName, BodyGenerator> = {
  typed: typedGenerator,
  testcase: testcaseGenerator,
  testrun: testrunGenerator,
};

const BUILT_IN_DATASETS = ["small", "medium", "large"] as const;

/** `spec` is a profile name from `datasets/` or a path to a .json/.ndjson file of documents. */
export async function openDataset(spec: string, options: DatasetOptions): Promise<Dataset> {
  if (isFileSpec(spec)) return openFileDataset(spec);
  if (!(await exists(join(datasetsDir, `${spec}.json`)))) {
    throw new UsageError(`--dataset ${spec}: unknown dataset — use ${BUILT_IN_DATASETS.join(", ")} or a path to a .json/.ndjson file`);
  }
  const profile = await readProfile(datasetsDir, spec);
  const generate = GENERATORS[profile.generator];
  const template = profile.templateDoc;
  const body: (index: number) => DocBody =
    options.identical && template
      ? () => structuredClone(template)
      : (index) => generate(randomFor(options.seed, index), profile);
  return {
    name: options.identical ? `${profile.name}-identical` : profile.name,
    description: profile.description,
    docAt: (index) => ({ _id: generatedId(options.seed, index), ...body(index) }),
  };
}

/** Random-looking but deterministic ids, like CouchDB's own uuids: spreads B-tree inserts. */
function generatedId(seed: number, index: number): string {
  return randomFor(seed ^ 0x5eed1d, index).hex(32);
}

function isFileSpec(spec: string): boolean {
  return [".json", ".ndjson", ".jsonl"].includes(extname(spec)) && !BUILT_IN_DATASETS.includes(spec as never);
}

async function openFileDataset(path: string): Promise<Dataset> {
  const docs = await readDocumentFile(path);
  return {
    name: basename(path, extname(path)),
    description: `${docs.length} documents from ${path}`,
    docAt: (index) => {
      const doc = docs[index % docs.length]!;
      const { _id: _ignored, ...body } = doc;
      return { _id: fileDocId(doc, index, docs.length, path), ...structuredClone(body) };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
