import type { DocBody } from "./profile.js";
import type { IdGenerator } from "./doc-ids.js";

/**
 * Document `index` of a dataset made of a fixed sample (a file's documents, or documents read
 * from a database): the sample in order, then again and again. The first pass keeps each
 * document's own `_id` (one without gets a scheme id); every later copy gets a fresh id of the
 * run's scheme, so sizes above the sample still have the id pattern being measured.
 */
export function sampledDocAt(docs: readonly DocBody[], ids: IdGenerator, index: number): DocBody {
  const { _id: original, ...body } = docs[index % docs.length]!;
  const keepsOwnId = index < docs.length && typeof original === "string";
  return { _id: keepsOwnId ? original : ids(index), ...structuredClone(body) };
}
