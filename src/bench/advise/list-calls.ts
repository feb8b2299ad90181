/**
 * The calls of a reduce that build arrays from `values`, for reduce-rewrites.ts's interpreter
 * (which it is handed, so the two modules do not import each other): picks by position, the
 * flattenings of rereduce's reductions, removing duplicates, sorting, cutting, and the
 * comparators and filters passed to them. What the arrays then hold is list-reduces.ts's.
 */
import type { Expression, Node } from "acorn";
import { flatten, listMethod, NotRecognised, unique, type ListArgument, type ListSym } from "./list-reduces.js";
import { heapOf, nestedScope, type Scope, type Sym } from "./reduce-symbols.js";

/** What list calls need of the interpreter. */
export interface Interpreter {
  evaluate(expression: Expression, scope: Scope): Sym;
  callBody(body: Node, expression: boolean, scope: Scope): Sym;
}

/** `values[0]` / `values[values.length - 1]`, unless `values` was reordered in place first. */
export function pick(position: "first" | "last", scope: Scope): Sym {
  if (heapOf(scope).valuesReordered()) throw new NotRecognised();
  return { kind: "pick", position };
}

/** `values` or an array built from it, as a list of the heap; undefined for anything else. */
export function asList(sym: Sym, scope: Scope): ListSym | undefined {
  if (sym.kind === "values") return heapOf(scope).values();
  return sym.kind === "list" ? sym : undefined;
}

/**
 * The calls that build arrays from `values`: `list.sort/reverse/slice/filter/flat(…)`,
 * `values.at(0)`, the flattenings `[].concat.apply([], values)` and `[].concat(...values)`,
 * `Array.from(new Set(list))`, and inside callbacks `list.indexOf(v)` and `acc.concat(b)`.
 * Undefined when the call is none of these (the caller tries its other shapes).
 */
export function listCall(
  expression: Extract<Expression, { type: "CallExpression" }>,
  method: string,
  scope: Scope,
  interpreter: Interpreter,
): Sym | undefined {
  const callee = expression.callee as Extract<Expression, { type: "MemberExpression" }>;
  const heap = heapOf(scope);
  const argumentNodes = expression.arguments;
  const spreadOf = (index: number) => {
    const node = argumentNodes[index];
    return node?.type === "SpreadElement" ? interpreter.evaluate(node.argument, scope) : undefined;
  };
  if (
    method === "from" &&
    callee.object.type === "Identifier" &&
    callee.object.name === "Array" &&
    !scope.has("Array")
  ) {
    const set =
      argumentNodes.length === 1 &&
      argumentNodes[0]!.type !== "SpreadElement" &&
      interpreter.evaluate(argumentNodes[0]!, scope);
    if (set && set.kind === "set") return unique(heap, set.of);
    throw new NotRecognised();
  }
  let target: Sym;
  try {
    target = interpreter.evaluate(callee.object as Expression, scope);
  } catch (error) {
    // `Math.min.apply(…)` and the like: not an array call, the caller knows them. A near miss's reason stands.
    if (error instanceof NotRecognised && !error.message) return undefined;
    throw error;
  }
  if (method === "apply" && target.kind === "concat") {
    const [self, list] = argumentNodes.map((node) =>
      node.type === "SpreadElement" ? undefined : interpreter.evaluate(node, scope),
    );
    const flattened = list && asList(list, scope);
    if (argumentNodes.length === 2 && self?.kind === "empty-array" && flattened) return flatten(heap, flattened);
    throw new NotRecognised();
  }
  if (method === "concat" && target.kind === "empty-array") {
    const spread = spreadOf(0);
    const flattened = argumentNodes.length === 1 && spread && asList(spread, scope);
    if (flattened) return flatten(heap, flattened);
    throw new NotRecognised();
  }
  if (method === "concat" && target.kind === "acc") {
    if (argumentNodes.length === 1 && argumentNodes[0]!.type !== "SpreadElement") {
      const item = interpreter.evaluate(argumentNodes[0]!, scope);
      if (item.kind === "item" && item.path.length === 0) return { kind: "concat-step" };
    }
    throw new NotRecognised();
  }
  if (method === "at" && target.kind === "values" && argumentNodes.length === 1) {
    const index =
      argumentNodes[0]!.type === "SpreadElement" ? undefined : interpreter.evaluate(argumentNodes[0]!, scope);
    if (index?.kind === "number" && (index.value === 0 || index.value === -1))
      return pick(index.value === 0 ? "first" : "last", scope);
    throw new NotRecognised();
  }
  const list = asList(target, scope);
  if (!list) return undefined;
  if (method === "indexOf") {
    const filtered = scope.get(FILTERED);
    const [element] = argumentNodes;
    if (
      filtered?.kind === "list" &&
      filtered.id === list.id &&
      argumentNodes.length === 1 &&
      element?.type !== "SpreadElement" &&
      interpreter.evaluate(element!, scope).kind === "element"
    )
      return { kind: "first-position" };
    throw new NotRecognised();
  }
  if (!["sort", "reverse", "slice", "filter", "flat"].includes(method)) return undefined;
  const args = argumentNodes.map((node): ListArgument => {
    if (node.type === "SpreadElement") return { kind: "other" };
    const value = interpreter.evaluate(node, scope);
    if (value.kind === "number") return { kind: "number", value: value.value };
    if (value.kind === "function") return callbackRole(value, list, scope, interpreter);
    return { kind: "other" };
  });
  return listMethod(heap, list, method, args);
}

/** The scope entry naming the list a filter callback runs over (no identifier can be named so). */
const FILTERED = "#filtered";

/** A numeric sort comparator (`(a, b) => a - b`), a filter keeping first occurrences, or neither. */
function callbackRole(
  fn: Extract<Sym, { kind: "function" }>,
  list: ListSym,
  scope: Scope,
  interpreter: Interpreter,
): ListArgument {
  const [first, second, third] = fn.params;
  const attempt = (bindings: Array<[string | undefined, Sym]>) => {
    const inner = nestedScope(scope).set(FILTERED, list);
    for (const [name, sym] of bindings) if (name) inner.set(name, sym);
    try {
      return interpreter.callBody(fn.body, fn.expression, inner);
    } catch (error) {
      if (error instanceof NotRecognised) return undefined;
      throw error;
    }
  };
  if (fn.params.length === 2 && first && second) {
    const result = attempt([
      [first, { kind: "operand", name: "a" }],
      [second, { kind: "operand", name: "b" }],
    ]);
    if (result?.kind === "difference") return { kind: "comparator", order: result.order };
  }
  if (fn.params.length >= 2 && fn.params.length <= 3 && first && second) {
    const result = attempt([
      [first, { kind: "element" }],
      [second, { kind: "position" }],
      [third, list],
    ]);
    if (result?.kind === "is-first") return { kind: "unique-filter" };
  }
  return { kind: "other" };
}
