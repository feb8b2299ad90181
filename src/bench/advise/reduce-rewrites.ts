/**
 * Recognises JavaScript reduce functions that compute exactly what a CouchDB built-in does
 * (`_sum`, `_count`, `_stats`, and CouchDB 3.5's `_top_N`, `_bottom_N`, `_first`, `_last`),
 * so the JS round trips can be replaced by Erlang.
 *
 * How: the function is parsed with acorn and interpreted symbolically twice, once as CouchDB
 * calls it on mapped values (`rereduce` false) and once on earlier reductions (`rereduce`
 * true). The interpreter knows a handful of aggregates over `values` — `sum(values)`,
 * `values.length`, `values.reduce(fn, init)`, `Math.min.apply(null, values)`, loops and
 * `forEach` that accumulate into a local — and gives up (returns undefined) on anything else:
 * an unknown call, a write outside its own locals, arithmetic on an aggregate, a condition
 * other than `rereduce`. Giving up is always safe: the function is left as it is.
 */
import type { Expression, Node, Pattern, Statement } from "acorn";
import { parseFunction } from "./js-function.js";
import { asList, listCall, pick, type Interpreter } from "./list-calls.js";
import { agg, heapOf, HEAP, isNested, nestedScope, type Op, type Sym } from "./reduce-symbols.js";
import { classifyRanked, flatten, ListHeap, NotRecognised, unique, type RankedList } from "./list-reduces.js";

export type BuiltInReduce = "_sum" | "_count" | "_stats" | "_first" | "_last" | `_top_${number}` | `_bottom_${number}`;

/** What advise knows about a JavaScript reduce. */
export interface ReduceRecognition {
  builtIn?: BuiltInReduce;
  /**
   * The JavaScript picks a value by its position in `values` (`values[0]`): its result depends
   * on the order CouchDB hands values over, which is not the key order (reverse key order within
   * a shard, arrival order across shards). The built-in is what such a reduce is meant to do, but
   * its results differ from the JavaScript's: readers see a change.
   */
  orderDependent?: boolean;
  /** Why a spelling close to a built-in is not one (e.g. a top N that keeps duplicates). */
  nearMiss?: string;
}

/** The built-ins CouchDB 3.5.0 added: a rewrite to one needs a 3.5 target. */
export function needsCouchDB35(builtIn: string): boolean {
  return /^_(first|last|top_\d+|bottom_\d+)$/.test(builtIn);
}

/** The built-in equivalent of `source`, or undefined when it is not provably one. */
export function builtInEquivalent(source: string): BuiltInReduce | undefined {
  return recogniseReduce(source).builtIn;
}

/** The built-in `source` computes, if provably one; otherwise, when it is close to one, why it is not. */
export function recogniseReduce(source: string): ReduceRecognition {
  const parsed = parseFunction(source);
  if (!parsed) return {};
  try {
    const [keysName, valuesName, rereduceName] = parsed.params;
    const run = (rereduce: boolean) => {
      const heap = new ListHeap(rereduce);
      const scope = new Map<string, Sym>();
      // On rereduce CouchDB passes keys = null: nothing may be read from it.
      if (keysName) scope.set(keysName, rereduce ? { kind: "number", value: Number.NaN } : { kind: "keys" });
      if (valuesName) scope.set(valuesName, { kind: "values" });
      if (rereduceName) scope.set(rereduceName, { kind: "rereduce", value: rereduce });
      scope.set(HEAP, heap);
      const result = callBody(parsed.node.body as Node, parsed.node.expression, scope);
      return result.kind === "list" ? heap.resolve(result) : result;
    };
    return classify(run(false), run(true));
  } catch (error) {
    if (error instanceof NotRecognised) return error.message ? { nearMiss: error.message } : {};
    throw error;
  }
}

function classify(onValues: Sym | RankedList, onReductions: Sym | RankedList): ReduceRecognition {
  const same = (a: Sym | RankedList, b: Sym | RankedList) => JSON.stringify(a) === JSON.stringify(b);
  if (same(onValues, agg("sum")) && same(onReductions, agg("sum"))) return { builtIn: "_sum" };
  if (same(onValues, agg("count")) && same(onReductions, agg("sum"))) return { builtIn: "_count" };
  if (onValues.kind === "pick" && same(onValues, onReductions))
    return { builtIn: onValues.position === "first" ? "_first" : "_last", orderDependent: true };
  if (onValues.kind === "ranked" && onReductions.kind === "ranked") return classifyRanked(onValues, onReductions);
  const leaf = { sum: agg("sum"), count: agg("count"), min: agg("min"), max: agg("max"), sumsqr: agg("sumsqr") };
  const rereduced = {
    sum: agg("sum", "sum"),
    count: agg("sum", "count"),
    min: agg("min", "min"),
    max: agg("max", "max"),
    sumsqr: agg("sum", "sumsqr"),
  };
  const fieldsMatch = (sym: Sym | RankedList, expected: Record<string, Sym>) =>
    sym.kind === "object" &&
    Object.keys(sym.fields).length === 5 &&
    Object.entries(expected).every(([name, value]) => sym.fields[name] && same(sym.fields[name], value));
  if (fieldsMatch(onValues, leaf) && fieldsMatch(onReductions, rereduced)) return { builtIn: "_stats" };
  return {};
}

/** Runs a function body; a block must end in `return`. */
function callBody(body: Node, expression: boolean, scope: Map<string, Sym>): Sym {
  if (expression) return evaluate(body as Expression, scope);
  const result = execute((body as unknown as { body: Statement[] }).body, scope);
  if (!result) throw new NotRecognised();
  return result;
}

/** Statements in order; returns the value of the `return` reached, if any. */
function execute(statements: Statement[], scope: Map<string, Sym>): Sym | undefined {
  for (const statement of statements) {
    const returned = executeOne(statement, scope);
    if (returned) return returned;
  }
  return undefined;
}

function executeOne(statement: Statement, scope: Map<string, Sym>): Sym | undefined {
  switch (statement.type) {
    case "ReturnStatement":
      if (!statement.argument) throw new NotRecognised();
      return evaluate(statement.argument, scope);
    case "BlockStatement":
      return execute(statement.body, scope);
    case "EmptyStatement":
      return undefined;
    case "IfStatement": {
      const branch = condition(evaluate(statement.test, scope)) ? statement.consequent : statement.alternate;
      return branch ? executeOne(branch, scope) : undefined;
    }
    case "VariableDeclaration":
      for (const declarator of statement.declarations) {
        if (declarator.id.type !== "Identifier" || !declarator.init) throw new NotRecognised();
        scope.set(declarator.id.name, evaluate(declarator.init, scope));
      }
      return undefined;
    case "ExpressionStatement":
      return void effect(statement.expression, scope, undefined);
    case "ForStatement":
      return void forLoop(statement, scope);
    case "ForOfStatement": {
      const left = statement.left;
      const name = left.type === "VariableDeclaration" ? left.declarations[0]?.id : left;
      if (!name || name.type !== "Identifier" || evaluate(statement.right, scope).kind !== "values")
        throw new NotRecognised();
      return void loopBody(statement.body, scope, new Map([[name.name, { kind: "item", path: [] } as Sym]]));
    }
    default:
      throw new NotRecognised();
  }
}

/** `for (var i = 0; i < values.length; i++) …` and nothing fancier. */
function forLoop(statement: Extract<Statement, { type: "ForStatement" }>, scope: Map<string, Sym>): void {
  const { init, test, update, body } = statement;
  const index = init?.type === "VariableDeclaration" ? init.declarations[0] : undefined;
  if (!index || index.id.type !== "Identifier" || index.init?.type !== "Literal" || index.init.value !== 0)
    throw new NotRecognised();
  const i = index.id.name;
  const bound =
    test?.type === "BinaryExpression" &&
    test.operator === "<" &&
    test.left.type === "Identifier" &&
    test.left.name === i
      ? evaluate(test.right, scope)
      : undefined;
  const counts =
    update?.type === "UpdateExpression" &&
    update.operator === "++" &&
    update.argument.type === "Identifier" &&
    update.argument.name === i;
  if (!bound || JSON.stringify(bound) !== JSON.stringify(agg("count")) || !counts) throw new NotRecognised();
  loopBody(body, scope, new Map([[i, { kind: "index" } as Sym]]));
}

/**
 * A loop over every value: each statement must fold into a local declared before the loop
 * (`s += values[i]`), which afterwards holds the aggregate. Nothing else may happen inside.
 */
function loopBody(body: Statement, scope: Map<string, Sym>, loopVariables: Map<string, Sym>): void {
  const statements = body.type === "BlockStatement" ? body.body : [body];
  const inner = new Map([...scope, ...loopVariables]);
  const folds = new Map<string, Sym>();
  for (const statement of statements) {
    if (statement.type !== "ExpressionStatement") throw new NotRecognised();
    effect(statement.expression, inner, folds);
  }
  for (const [name, folded] of folds) scope.set(name, folded);
}

/**
 * An expression statement: an accumulation into a local inside a loop (`folds` given), or a
 * `values.forEach(function (v) { … })`. Any other statement may have effects we cannot see.
 */
function effect(expression: Expression, scope: Map<string, Sym>, folds: Map<string, Sym> | undefined): void {
  // `values.sort(…)` / `list.reverse()` as a statement: the array changes in place (see list-reduces.ts).
  if (
    !folds &&
    expression.type === "CallExpression" &&
    expression.callee.type === "MemberExpression" &&
    !expression.callee.computed &&
    expression.callee.property.type === "Identifier" &&
    (expression.callee.property.name === "sort" || expression.callee.property.name === "reverse")
  ) {
    if (evaluate(expression, scope).kind !== "list") throw new NotRecognised();
    return;
  }
  if (
    expression.type === "CallExpression" &&
    expression.callee.type === "MemberExpression" &&
    !expression.callee.computed
  ) {
    const property = expression.callee.property;
    const fn = expression.arguments[0] && evaluate(expression.arguments[0] as Expression, scope);
    if (
      property.type === "Identifier" &&
      property.name === "forEach" &&
      evaluate(expression.callee.object as Expression, scope).kind === "values" &&
      fn?.kind === "function" &&
      expression.arguments.length === 1
    ) {
      const item = fn.params[0];
      if (!item || fn.expression) throw new NotRecognised();
      return loopBody(fn.body as unknown as Statement, scope, new Map([[item, { kind: "item", path: [] } as Sym]]));
    }
  }
  if (expression.type !== "AssignmentExpression" || expression.left.type !== "Identifier") throw new NotRecognised();
  const name = expression.left.name;
  // Outside a loop, `all = …` rebinds a local or parameter, like a new declaration — in the reduce function's own
  // body only: a nested function's scope is a copy, so the enclosing code would not see the change.
  if (!folds) {
    if (expression.operator !== "=" || !scope.has(name) || isNested(scope)) throw new NotRecognised();
    scope.set(name, evaluate(expression.right, scope));
    return;
  }
  const start = scope.get(name);
  if (start?.kind !== "number" || folds.has(name)) throw new NotRecognised();
  const withAcc = new Map(scope).set(name, { kind: "acc" });
  const right = expression.right;
  const step =
    expression.operator === "+="
      ? evaluate(
          { type: "BinaryExpression", operator: "+", left: expression.left, right, start: 0, end: 0 } as Expression,
          withAcc,
        )
      : expression.operator === "="
        ? evaluate(right, withAcc)
        : undefined;
  folds.set(name, fold(step, start));
}

/** A fold step with its initial value, as the aggregate it computes. */
function fold(step: Sym | undefined, init: Sym): Sym {
  if (step?.kind !== "step" || init.kind !== "number") throw new NotRecognised();
  const neutral: Record<Op, number> = { sum: 0, count: 0, sumsqr: 0, min: Infinity, max: -Infinity };
  if (init.value !== neutral[step.op]) throw new NotRecognised();
  return { kind: "agg", op: step.op, path: step.path };
}

function condition(sym: Sym): boolean {
  if (sym.kind === "rereduce") return sym.value;
  throw new NotRecognised();
}

function evaluate(expression: Expression | Pattern, scope: Map<string, Sym>): Sym {
  switch (expression.type) {
    case "Identifier": {
      const bound = scope.get(expression.name);
      if (bound) return bound;
      if (expression.name === "Infinity") return { kind: "number", value: Infinity };
      throw new NotRecognised();
    }
    case "Literal":
      if (typeof expression.value === "number") return { kind: "number", value: expression.value };
      // `null` only ever matters as the this-argument of Math.min.apply(null, values); NaN matches no pattern.
      if (expression.value === null) return { kind: "number", value: Number.NaN };
      throw new NotRecognised();
    case "UnaryExpression": {
      const operand = evaluate(expression.argument, scope);
      if (expression.operator === "-" && operand.kind === "number") return { kind: "number", value: -operand.value };
      if (expression.operator === "!" && operand.kind === "rereduce")
        return { kind: "rereduce", value: !operand.value };
      throw new NotRecognised();
    }
    case "ConditionalExpression":
      return evaluate(
        condition(evaluate(expression.test, scope)) ? expression.consequent : expression.alternate,
        scope,
      );
    case "MemberExpression":
      return member(expression, scope);
    case "BinaryExpression":
      return binary(
        expression.operator,
        evaluate(expression.left as Expression, scope),
        evaluate(expression.right, scope),
      );
    case "CallExpression":
      return call(expression, scope);
    case "ObjectExpression": {
      const fields: Record<string, Sym> = {};
      for (const property of expression.properties) {
        if (property.type !== "Property" || property.computed || property.kind !== "init" || property.method)
          throw new NotRecognised();
        const key =
          property.key.type === "Identifier"
            ? property.key.name
            : property.key.type === "Literal"
              ? String(property.key.value)
              : undefined;
        if (key === undefined || key in fields) throw new NotRecognised();
        fields[key] = evaluate(property.value as Expression, scope);
      }
      return { kind: "object", fields };
    }
    case "ArrayExpression": {
      if (expression.elements.length === 0) return { kind: "empty-array" };
      const [only] = expression.elements;
      if (expression.elements.length === 1 && only?.type === "SpreadElement") {
        const spread = evaluate(only.argument, scope);
        if (spread.kind === "set") return unique(heapOf(scope), spread.of);
      }
      throw new NotRecognised();
    }
    case "NewExpression": {
      const [argument] = expression.arguments;
      if (
        expression.callee.type === "Identifier" &&
        expression.callee.name === "Set" &&
        !scope.has("Set") &&
        expression.arguments.length === 1 &&
        argument?.type !== "SpreadElement"
      ) {
        const list = asList(evaluate(argument!, scope), scope);
        if (list) return { kind: "set", of: list };
      }
      throw new NotRecognised();
    }
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      if (expression.async || expression.generator) throw new NotRecognised();
      return {
        kind: "function",
        params: expression.params.map((p) => (p.type === "Identifier" ? p.name : undefined)),
        body: expression.body,
        expression: expression.expression,
      };
    default:
      throw new NotRecognised();
  }
}

function member(expression: Extract<Expression, { type: "MemberExpression" }>, scope: Map<string, Sym>): Sym {
  const name = expression.property.type === "Identifier" ? expression.property.name : undefined;
  if (
    !expression.computed &&
    name === "prototype" &&
    expression.object.type === "Identifier" &&
    expression.object.name === "Array" &&
    !scope.has("Array")
  )
    return { kind: "array-prototype" };
  const object = evaluate(expression.object as Expression, scope);
  if (expression.computed) {
    const index = evaluate(expression.property as Expression, scope);
    if (object.kind === "values" && index.kind === "index") return { kind: "item", path: [] };
    if (object.kind === "values" && index.kind === "number" && index.value === 0) return pick("first", scope);
    if (object.kind === "values" && index.kind === "last-index") return pick("last", scope);
    throw new NotRecognised();
  }
  if (name === "length" && (object.kind === "values" || object.kind === "keys")) return agg("count");
  if (name === "concat" && (object.kind === "empty-array" || object.kind === "array-prototype"))
    return { kind: "concat" };
  if (name !== undefined && object.kind === "item") return { kind: "item", path: [...object.path, name] };
  throw new NotRecognised();
}

function binary(operator: string, left: Sym, right: Sym): Sym {
  if (operator === "-") {
    if (JSON.stringify(left) === JSON.stringify(agg("count")) && right.kind === "number" && right.value === 1)
      return { kind: "last-index" };
    if (left.kind === "operand" && right.kind === "operand" && left.name !== right.name)
      return { kind: "difference", order: left.name === "a" ? "asc" : "desc" };
  }
  if (operator === "===" || operator === "==") {
    const kinds = [left.kind, right.kind].sort().join(" ");
    if (kinds === "first-position position") return { kind: "is-first" };
  }
  const samePath = (a: { path: string[] }, b: { path: string[] }) => a.path.join(".") === b.path.join(".");
  if (operator === "*" && left.kind === "item" && right.kind === "item" && samePath(left, right))
    return { kind: "square", path: left.path };
  if (operator === "**" && left.kind === "item" && right.kind === "number" && right.value === 2)
    return { kind: "square", path: left.path };
  if (operator === "+") {
    const [acc, other] = left.kind === "acc" ? [left, right] : [right, left];
    if (acc.kind === "acc") {
      if (other.kind === "item") return { kind: "step", op: "sum", path: other.path };
      if (other.kind === "square") return square(other);
      if (other.kind === "number" && other.value === 1) return { kind: "step", op: "count", path: [] };
    }
  }
  throw new NotRecognised();
}

/** `acc + v * v` sums squares of the values themselves; a square of a field is not a built-in's. */
function square(sym: Extract<Sym, { kind: "square" }>): Sym {
  if (sym.path.length > 0) throw new NotRecognised();
  return { kind: "step", op: "sumsqr", path: [] };
}

function call(expression: Extract<Expression, { type: "CallExpression" }>, scope: Map<string, Sym>): Sym {
  const args = expression.arguments.map((argument) =>
    argument.type === "SpreadElement" ? { spread: evaluate(argument.argument, scope) } : evaluate(argument, scope),
  );
  const plain = args.filter((arg): arg is Sym => !("spread" in arg));
  const callee = expression.callee;
  if (callee.type === "Identifier" && callee.name === "sum" && !scope.has("sum")) {
    if (args.length === 1 && plain[0]?.kind === "values") return agg("sum");
    throw new NotRecognised();
  }
  // An immediately invoked function: its body runs in a scope that sees the enclosing locals.
  if (callee.type === "FunctionExpression" || callee.type === "ArrowFunctionExpression") {
    const fn = evaluate(callee, scope);
    if (fn.kind !== "function" || fn.params.length > 0 || args.length > 0) throw new NotRecognised();
    return callBody(fn.body, fn.expression, nestedScope(scope));
  }
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier")
    throw new NotRecognised();
  const method = callee.property.name;
  const target = callee.object;
  const listed = listCall(expression, method, scope, INTERPRETER);
  if (listed) return listed;
  const mathFunction = (node: Node): "min" | "max" | "pow" | undefined => {
    if (node.type !== "MemberExpression" || scope.has("Math")) return undefined;
    const m = node as Extract<Expression, { type: "MemberExpression" }>;
    const name = !m.computed && m.property.type === "Identifier" ? m.property.name : "";
    return m.object.type === "Identifier" &&
      m.object.name === "Math" &&
      (name === "min" || name === "max" || name === "pow")
      ? name
      : undefined;
  };
  const direct = mathFunction(callee);
  if (direct === "min" || direct === "max") {
    if (args.length === 1 && "spread" in args[0]! && args[0].spread.kind === "values") return agg(direct);
    const [a, b] = plain;
    if (plain.length === 2 && args.length === 2 && a && b) {
      const [acc, item] = a.kind === "acc" ? [a, b] : [b, a];
      if (acc.kind === "acc" && item.kind === "item") return { kind: "step", op: direct, path: item.path };
    }
    throw new NotRecognised();
  }
  if (direct === "pow") {
    if (
      plain.length === 2 &&
      args.length === 2 &&
      plain[0]!.kind === "item" &&
      plain[1]!.kind === "number" &&
      (plain[1] as { value: number }).value === 2
    ) {
      return { kind: "square", path: (plain[0] as { path: string[] }).path };
    }
    throw new NotRecognised();
  }
  // Math.min.apply(null, values) / Math.max.apply(Math, values)
  const applied = method === "apply" ? mathFunction(target) : undefined;
  if (applied === "min" || applied === "max") {
    if (plain.length === 2 && args.length === 2 && plain[1]!.kind === "values") return agg(applied);
    throw new NotRecognised();
  }
  if (
    method === "reduce" &&
    evaluate(target as Expression, scope).kind === "values" &&
    args.length === 2 &&
    plain.length === 2
  ) {
    const [fn, init] = plain as [Sym, Sym];
    if (fn.kind !== "function" || fn.params.length !== 2 || !fn.params[0] || !fn.params[1]) throw new NotRecognised();
    const inner = nestedScope(scope)
      .set(fn.params[0], { kind: "acc" } as Sym)
      .set(fn.params[1], { kind: "item", path: [] } as Sym);
    const step = callBody(fn.body, fn.expression, inner);
    // values.reduce((a, b) => a.concat(b), []): the reductions flattened.
    if (step.kind === "concat-step" && init.kind === "empty-array")
      return flatten(heapOf(scope), heapOf(scope).values());
    return fold(step, init);
  }
  throw new NotRecognised();
}

/** The interpreter as list-calls.ts uses it for arguments and callbacks. */
const INTERPRETER: Interpreter = { evaluate, callBody };
