import { access } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { UsageError } from "../../core/errors.js";
import { datasetsDir } from "../../core/package-paths.js";
import type { DatasetInfo } from "../../results/results-format.js";
import { isCouchSpec, parseCouchSpec, readCouchSample } from "./couchdb-dataset.js";
import { DEFAULT_ID_SCHEME, idGenerator, type IdGenerator, type IdScheme } from "./doc-ids.js";
import { readDocumentFile } from "./file-dataset.js";
import { readProfile, type BodyGenerator, type DocBody, type GeneratorName } from "./profile.js";
import { randomFor } from "./random.js";
import { sampledDocAt } from "./sampled-docs.js";
import { testcaseGenerator } from "./testcase-generator.js";
import { testrunGenerator } from "./testrun-generator.js";
import { typedGenerator } from "./typed-generator.js";

export type { DocBody } from "./profile.js";
export { DEFAULT_ID_SCHEME, ID_SCHEMES, isIdScheme, type IdScheme } from "./doc-ids.js";

/** A deterministic, random-access source of documents. */
export interface Dataset {
  name: string;
  description: string;
  /** Document `index` (0-based), `_id` first; the same for the same seed on every machine. */
  docAt(index: number): DocBody;
}

/** Where a dataset's documents come from, before ids are chosen: opened once, used with every id scheme. */
export interface DatasetSource {
  name: string;
  description: string;
  /** For a dataset read from a database: what was read, for the results file. */
  info?: DatasetInfo;
  withIds(ids: IdScheme): Dataset;
}

export interface DatasetOptions {
  seed: number;
  /** The classic setup: every document is a verbatim copy of the template (only `_id` differs). */
  identical: boolean;
  /** Default: CouchDB's own when a client sends no `_id`. */
  ids?: IdScheme;
  /** `couchdb:` datasets: how many documents to read (default: all). */
  sample?: number;
}

const GENERATORS: Record<GeneratorName, BodyGenerator> = {
  typed: typedGenerator,
  testcase: testcaseGenerator,
  testrun: testrunGenerator,
};

const BUILT_IN_DATASETS = ["small", "medium", "large"] as const;

/** A dataset with its ids: the source opened and given the scheme. */
export async function openDataset(spec: string, options: DatasetOptions): Promise<Dataset> {
  return (await openDatasetSource(spec, options)).withIds(options.ids ?? DEFAULT_ID_SCHEME);
}

/**
 * `spec` is a profile name from `datasets/`, a path to a .json/.ndjson file of documents, or
 * `couchdb:<url>/<db>`, a database to sample (read once, here).
 */
export async function openDatasetSource(spec: string, options: DatasetOptions): Promise<DatasetSource> {
  if (isCouchSpec(spec)) return openCouchDataset(spec, options);
  if (isFileSpec(spec)) return openFileDataset(spec, options.seed);
  if (!(await exists(join(datasetsDir, `${spec}.json`)))) {
    throw new UsageError(
      `--dataset ${spec}: unknown dataset — use ${BUILT_IN_DATASETS.join(", ")} or a path to a .json/.ndjson file`,
    );
  }
  const profile = await readProfile(datasetsDir, spec);
  const generate = GENERATORS[profile.generator];
  const template = profile.templateDoc;
  const body: (index: number) => DocBody =
    options.identical && template
      ? () => structuredClone(template)
      : (index) => generate(randomFor(options.seed, index), profile);
  const name = options.identical ? `${profile.name}-identical` : profile.name;
  return datasetSource(name, profile.description, options.seed, (index, idAt) => ({
    _id: idAt(index),
    ...body(index),
  }));
}

function isFileSpec(spec: string): boolean {
  return [".json", ".ndjson", ".jsonl"].includes(extname(spec)) && !BUILT_IN_DATASETS.includes(spec as never);
}

async function openFileDataset(path: string, seed: number): Promise<DatasetSource> {
  const docs = await readDocumentFile(path);
  return datasetSource(basename(path, extname(path)), `${docs.length} documents from ${path}`, seed, (index, idAt) =>
    sampledDocAt(docs, idAt, index),
  );
}

async function openCouchDataset(spec: string, options: DatasetOptions): Promise<DatasetSource> {
  const source = parseCouchSpec(spec);
  const { docs, info } = await readCouchSample(source, options.sample ?? Infinity);
  const opened = datasetSource(
    source.name,
    `${docs.length} documents sampled from ${source.name}`,
    options.seed,
    (index, idAt) => sampledDocAt(docs, idAt, index),
  );
  return { ...opened, info };
}

/** A source whose document `index` is `docAt(index, ids of the scheme)`. */
function datasetSource(
  name: string,
  description: string,
  seed: number,
  docAt: (index: number, idAt: IdGenerator) => DocBody,
): DatasetSource {
  return {
    name,
    description,
    withIds: (ids) => {
      const idAt = idGenerator(ids, seed);
      return { name, description, docAt: (index) => docAt(index, idAt) };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
