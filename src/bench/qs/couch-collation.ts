/**
 * The order CouchDB keeps view rows in, so reduce batches hold the rows CouchDB would put
 * in one B-tree leaf: null < false < true < numbers < strings < arrays < objects, arrays
 * element by element, objects member by member (name, then value). CouchDB compares strings
 * with ICU's root collation; `Intl.Collator` follows the same Unicode collation algorithm,
 * which is close enough for batching (a benchmark, not an index).
 * https://docs.couchdb.org/en/stable/ddocs/views/collation.html
 */

const strings = new Intl.Collator("en", { usage: "sort" });

function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (value === false) return 1;
  if (value === true) return 2;
  if (typeof value === "number") return 3;
  if (typeof value === "string") return 4;
  if (Array.isArray(value)) return 5;
  return 6;
}

export function compareKeys(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  switch (rankA) {
    case 3:
      return (a as number) - (b as number);
    case 4:
      return strings.compare(a as string, b as string);
    case 5:
      return compareLists(a as unknown[], b as unknown[]);
    case 6:
      return compareLists(Object.entries(a as object).flat(), Object.entries(b as object).flat());
    default:
      return 0;
  }
}

function compareLists(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const order = compareKeys(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** View rows are keyed `[key, docid]`; equal keys are ordered by the raw bytes of the doc id. */
export function compareRowKeys(a: [unknown, string], b: [unknown, string]): number {
  return compareKeys(a[0], b[0]) || Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1]));
}
