import type { Dataset, DatasetSource } from "../datasets/index.js";

/**
 * The same documents with CouchDB's own sequential ids (the datasets' `sequential` scheme): B-tree
 * inserts near the end instead of all over the tree. The view output of such a database is
 * compared with the original's after translating ids back.
 */
export function withSequentialIds(
  source: DatasetSource,
  original: Dataset,
  docCount: number,
): { dataset: Dataset; originalId: (id: string) => string | undefined } {
  const dataset = source.withIds("sequential");
  let originals: Map<string, string> | undefined;
  return {
    dataset: { ...dataset, name: `${original.name}-sequential-ids` },
    originalId: (id) => {
      originals ??= new Map(
        Array.from({ length: docCount }, (_, index) => [
          dataset.docAt(index)._id as string,
          original.docAt(index)._id as string,
        ]),
      );
      return originals.get(id);
    },
  };
}
