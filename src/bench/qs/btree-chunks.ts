/**
 * How CouchDB splits a B-tree level into nodes, ported from `couch_btree:chunkify/1`
 * (CouchDB 3.x, src/couch/src/couch_btree.erl): a level whose size exceeds the chunk size
 * (`[couchdb] btree_chunk_size`, default 1279 bytes) is cut into `size div 1279 + 1` nodes
 * of about equal size; a lone last element joins the node before it. Every node of a view
 * B-tree costs one `reduce` (leaves) or `rereduce` (inner nodes) call to the query server.
 *
 * CouchDB measures terms with `erlang:external_size/1`; we pass the JSON byte length, which
 * tracks it closely for view rows.
 */

export const COUCH_BTREE_CHUNK_BYTES = 1279;

export function chunkify<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  chunkBytes = COUCH_BTREE_CHUNK_BYTES,
): T[][] {
  const sizes = items.map(sizeOf);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= chunkBytes) return items.length === 0 ? [] : [[...items]];
  const threshold = Math.floor(total / (Math.floor(total / chunkBytes) + 1));
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentSize = 0;
  items.forEach((item, index) => {
    const size = sizes[index]!;
    if (size + currentSize > threshold && current.length > 0) {
      chunks.push([...current, item]);
      current = [];
      currentSize = 0;
    } else {
      current.push(item);
      currentSize += size;
    }
  });
  if (current.length === 1 && chunks.length > 0) chunks[chunks.length - 1]!.push(current[0]!);
  else if (current.length > 0) chunks.push(current);
  return chunks;
}
