import type { Dataset } from "../datasets/index.js";

/**
 * The same documents with ids `000000001`, `000000002`…: B-tree inserts at the end instead of
 * all over the tree. A stand-in until datasets offer an id scheme of their own. The view
 * output of such a database is compared with the original's after translating ids back.
 */
export function withSequentialIds(dataset: Dataset, docCount: number): { dataset: Dataset; originalId: (id: string) => string | undefined } {
  const sequentialId = (index: number) => String(index + 1).padStart(9, "0");
  let originals: Map<string, string> | undefined;
  return {
    dataset: { ...dataset, name: `${dataset.name}-sequential-ids`, docAt: (index) => ({ ...dataset.docAt(index), _id: sequentialId(index) }) },
    originalId: (id) => {
      originals ??= new Map(Array.from({ length: docCount }, (_, index) => [sequentialId(index), dataset.docAt(index)._id as string]));
      return originals.get(id);
    },
  };
}
