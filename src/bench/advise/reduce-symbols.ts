/**
 * The symbols of reduce-rewrites.ts's interpreter: what an expression of a reduce stands for, in
 * terms of the values CouchDB passes in, and the scope they are bound in.
 */
import type { Node } from "acorn";
import type { ListHeap, ListSym } from "./list-reduces.js";

export type Op = "sum" | "count" | "min" | "max" | "sumsqr";

/** What an expression stands for, in terms of the values CouchDB passes in. */
export type Sym =
  | { kind: "values" }
  | { kind: "keys" }
  | { kind: "rereduce"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "index" }
  /** One element of `values` (a loop or callback variable), `path` its field access (`v.sum`). */
  | { kind: "item"; path: string[] }
  | { kind: "square"; path: string[] }
  /** The running accumulator of a fold, before it is known what it accumulates. */
  | { kind: "acc" }
  /** One step of a fold: `acc + v`, `Math.min(acc, v)`, `acc + 1`, `acc + v * v`. */
  | { kind: "step"; op: Op; path: string[] }
  | { kind: "agg"; op: Op; path: string[] }
  | { kind: "object"; fields: Record<string, Sym> }
  | { kind: "function"; params: Array<string | undefined>; body: Node; expression: boolean }
  /** `values[0]` (first) or `values[values.length - 1]` (last): a pick by position. */
  | { kind: "pick"; position: "first" | "last" }
  /** `values.length - 1`, an index. */
  | { kind: "last-index" }
  | ListSym
  /** `[]`, `[].concat` / `Array.prototype.concat`, `Array.prototype`, `new Set(list)`. */
  | { kind: "empty-array" }
  | { kind: "concat" }
  | { kind: "array-prototype" }
  | { kind: "set"; of: ListSym }
  /** Inside a sort comparator: its parameters, and `a - b` / `b - a`. */
  | { kind: "operand"; name: "a" | "b" }
  | { kind: "difference"; order: "asc" | "desc" }
  /** Inside a filter: the element, its index, `list.indexOf(element)`, and that index === the element's. */
  | { kind: "element" }
  | { kind: "position" }
  | { kind: "first-position" }
  | { kind: "is-first" }
  /** `acc.concat(item)` in a fold. */
  | { kind: "concat-step" }
  | ListHeap;

export type Scope = Map<string, Sym>;

export const agg = (op: Op, ...path: string[]): Sym => ({ kind: "agg", op, path });

/** The scope entry holding the arrays a run creates and sorts in place (no identifier can be named so). */
export const HEAP = "#heap";

export function heapOf(scope: Map<string, Sym>): ListHeap {
  return scope.get(HEAP) as unknown as ListHeap;
}

/** The scope entry marking a nested function's scope (an IIFE, a callback); no identifier can be named so. */
const NESTED = "#nested";

/**
 * The scope a nested function runs in: it sees the enclosing locals, but as a copy, so an
 * assignment to one of them would be lost on return: `isNested` forbids them there.
 */
export function nestedScope(scope: Scope): Scope {
  return new Map(scope).set(NESTED, { kind: "number", value: 1 });
}

export function isNested(scope: Scope): boolean {
  return scope.has(NESTED);
}
