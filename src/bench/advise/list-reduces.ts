/**
 * The arrays a JavaScript reduce builds from `values` on its way to a top or bottom N, for
 * reduce-rewrites.ts's interpreter: what each array holds (flattened reductions? distinct
 * values? sorted which way? cut to how many?), tracked by identity, because `sort` and
 * `reverse` change an array in place and every name bound to it sees the change.
 *
 * CouchDB 3.5.2's `_top_N` / `_bottom_N` (couch_query_servers:builtin_rank_n) merge the values
 * with `lists:umerge` under CouchDB's collation and keep the first N: N *distinct* values
 * (equal ones are merged), largest (top) or smallest (bottom) first, and on rereduce the same
 * over the concatenated reductions. A JavaScript spelling is that only if it flattens the
 * reductions on rereduce, removes duplicates, sorts numerically and then takes N. Numbers are
 * assumed, as `_sum`'s rule assumes them: JavaScript's `b - a` orders numbers as CouchDB's
 * collation does, and flattening a list of numbers changes nothing; every advised rewrite is
 * then checked against the original's output on the user's documents.
 */

/** The interpreter gives up; a message says why a spelling close to a built-in is not one. */
export class NotRecognised extends Error {}

export interface ListState {
  /** Elements are earlier reductions (arrays): `values` on rereduce, before it is flattened. */
  nested: boolean;
  /** Duplicates removed. */
  unique: boolean;
  order?: "asc" | "desc";
  /** Cut to the first `take` elements. */
  take?: number;
}

export interface ListSym {
  kind: "list";
  id: number;
}

/** A list as the reduce returned it, for classifying. */
export type RankedList = { kind: "ranked" } & ListState;

/** Every array of one interpretation, by identity; id 0 is `values` itself. */
export class ListHeap {
  private readonly arrays = new Map<number, ListState>();
  private next = 1;
  readonly kind = "heap";

  constructor(private readonly rereduce: boolean) {}

  /** `values` as a list: on rereduce its elements are the reductions. */
  values(): ListSym {
    if (!this.arrays.has(0)) this.arrays.set(0, { nested: this.rereduce, unique: false });
    return { kind: "list", id: 0 };
  }

  /** True once `values` was sorted or reversed in place: a pick by position then means something else. */
  valuesReordered(): boolean {
    return this.arrays.get(0)?.order !== undefined;
  }

  create(state: ListState): ListSym {
    const id = this.next++;
    this.arrays.set(id, state);
    return { kind: "list", id };
  }

  state(list: ListSym): ListState {
    return this.arrays.get(list.id)!;
  }

  update(list: ListSym, state: ListState): ListSym {
    this.arrays.set(list.id, state);
    return list;
  }

  resolve(list: ListSym): RankedList {
    return { kind: "ranked", ...this.state(list) };
  }
}

/** What a list method's arguments were recognised as, by the interpreter. */
export type ListArgument =
  | { kind: "comparator"; order: "asc" | "desc" }
  | { kind: "unique-filter" }
  | { kind: "number"; value: number }
  | { kind: "other" };

/** `list.method(...args)`: the list it returns, or NotRecognised. */
export function listMethod(heap: ListHeap, list: ListSym, method: string, args: ListArgument[]): ListSym {
  const state = heap.state(list);
  const flat = () => {
    if (state.nested) throw new NotRecognised("it sorts or cuts the reductions on rereduce without flattening them");
  };
  switch (method) {
    case "sort": {
      flat();
      const [comparator] = args;
      if (args.length === 0)
        throw new NotRecognised(
          "values.sort() without a comparator sorts numbers as strings (10 before 9), unlike CouchDB's collation",
        );
      if (comparator?.kind !== "comparator" || args.length !== 1 || state.take !== undefined) break;
      return heap.update(list, { ...state, order: comparator.order });
    }
    case "reverse":
      if (args.length !== 0 || !state.order || state.take !== undefined) break;
      return heap.update(list, { ...state, order: state.order === "asc" ? "desc" : "asc" });
    case "slice": {
      flat();
      const [start, end] = args;
      if (args.length !== 2 || start?.kind !== "number" || start.value !== 0 || end?.kind !== "number") break;
      if (!Number.isSafeInteger(end.value) || end.value < 1) break;
      if (!state.order)
        throw new NotRecognised("it takes the first N values in the order CouchDB passes them, which is not sorted");
      return heap.create({ ...state, take: Math.min(end.value, state.take ?? Infinity) });
    }
    case "filter":
      if (args.length === 1 && args[0]!.kind === "unique-filter") return unique(heap, list);
      break;
    case "flat":
      if (args.length === 0) return flatten(heap, list);
      break;
  }
  throw new NotRecognised();
}

/** The same elements without duplicates, in the same order (a filter on first occurrences, `new Set`). */
export function unique(heap: ListHeap, list: ListSym): ListSym {
  const state = heap.state(list);
  if (state.nested)
    throw new NotRecognised("it removes duplicates among the reductions on rereduce without flattening them");
  if (state.take !== undefined)
    throw new NotRecognised("it removes duplicates after taking N, so it can return fewer than N values");
  return heap.create({ ...state, unique: true });
}

/**
 * The elements of the reductions, one list (`[].concat.apply([], values)`, `values.flat()`…):
 * on the reduce pass, where the values are numbers, the same numbers.
 */
export function flatten(heap: ListHeap, list: ListSym): ListSym {
  const state = heap.state(list);
  if (state.unique || state.order || state.take !== undefined) throw new NotRecognised();
  return heap.create({ nested: false, unique: false });
}

/** `_top_N` / `_bottom_N` when both passes compute it, a near miss when they nearly do. */
export function classifyRanked(
  onValues: RankedList,
  onReductions: RankedList,
): { builtIn?: `_top_${number}` | `_bottom_${number}`; nearMiss?: string } {
  const { order, take } = onValues;
  if (order === undefined || take === undefined || onReductions.nested || onValues.nested) return {};
  if (onReductions.order !== order || onReductions.take !== take) return {};
  const name = order === "desc" ? `_top_${take}` : `_bottom_${take}`;
  if (!onValues.unique || !onReductions.unique)
    return {
      nearMiss: `it keeps the ${take} ${order === "desc" ? "largest" : "smallest"} values with their duplicates, ${name} keeps ${take} distinct values (CouchDB merges equal values)`,
    };
  return { builtIn: order === "desc" ? `_top_${take}` : `_bottom_${take}` };
}
