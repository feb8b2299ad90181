/**
 * Recognises JavaScript reduce functions that compute exactly what a CouchDB built-in does
 * (`_sum`, `_count`, `_stats`), so the JS round trips can be replaced by Erlang.
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

export type BuiltInReduce = "_sum" | "_count" | "_stats";

type Op = "sum" | "count" | "min" | "max" | "sumsqr";

/** What an expression stands for, in terms of the values CouchDB passes in. */
type Sym =
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
  | { kind: "function"; params: Array<string | undefined>; body: Node; expression: boolean };

class NotRecognised extends Error {}

/** The built-in equivalent of `source`, or undefined when it is not provably one. */
export function builtInEquivalent(source: string): BuiltInReduce | undefined {
  const parsed = parseFunction(source);
  if (!parsed) return undefined;
  try {
    const [keysName, valuesName, rereduceName] = parsed.params;
    const run = (rereduce: boolean) => {
      const scope = new Map<string, Sym>();
      // On rereduce CouchDB passes keys = null: nothing may be read from it.
      if (keysName) scope.set(keysName, rereduce ? { kind: "number", value: Number.NaN } : { kind: "keys" });
      if (valuesName) scope.set(valuesName, { kind: "values" });
      if (rereduceName) scope.set(rereduceName, { kind: "rereduce", value: rereduce });
      return callBody(parsed.node.body as Node, parsed.node.expression, scope);
    };
    return classify(run(false), run(true));
  } catch (error) {
    if (error instanceof NotRecognised) return undefined;
    throw error;
  }
}

const agg = (op: Op, ...path: string[]): Sym => ({ kind: "agg", op, path });

function classify(onValues: Sym, onReductions: Sym): BuiltInReduce | undefined {
  const same = (a: Sym, b: Sym) => JSON.stringify(a) === JSON.stringify(b);
  if (same(onValues, agg("sum")) && same(onReductions, agg("sum"))) return "_sum";
  if (same(onValues, agg("count")) && same(onReductions, agg("sum"))) return "_count";
  const leaf = { sum: agg("sum"), count: agg("count"), min: agg("min"), max: agg("max"), sumsqr: agg("sumsqr") };
  const rereduced = {
    sum: agg("sum", "sum"),
    count: agg("sum", "count"),
    min: agg("min", "min"),
    max: agg("max", "max"),
    sumsqr: agg("sum", "sumsqr"),
  };
  const fieldsMatch = (sym: Sym, expected: Record<string, Sym>) =>
    sym.kind === "object" &&
    Object.keys(sym.fields).length === 5 &&
    Object.entries(expected).every(([name, value]) => sym.fields[name] && same(sym.fields[name], value));
  if (fieldsMatch(onValues, leaf) && fieldsMatch(onReductions, rereduced)) return "_stats";
  return undefined;
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
  if (!folds || expression.type !== "AssignmentExpression" || expression.left.type !== "Identifier")
    throw new NotRecognised();
  const name = expression.left.name;
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
  const object = evaluate(expression.object as Expression, scope);
  if (expression.computed) {
    if (object.kind === "values" && evaluate(expression.property as Expression, scope).kind === "index")
      return { kind: "item", path: [] };
    throw new NotRecognised();
  }
  const name = expression.property.type === "Identifier" ? expression.property.name : undefined;
  if (name === "length" && (object.kind === "values" || object.kind === "keys")) return agg("count");
  if (name !== undefined && object.kind === "item") return { kind: "item", path: [...object.path, name] };
  throw new NotRecognised();
}

function binary(operator: string, left: Sym, right: Sym): Sym {
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
    return callBody(fn.body, fn.expression, new Map(scope));
  }
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier")
    throw new NotRecognised();
  const method = callee.property.name;
  const target = callee.object;
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
    const inner = new Map(scope)
      .set(fn.params[0], { kind: "acc" } as Sym)
      .set(fn.params[1], { kind: "item", path: [] } as Sym);
    return fold(callBody(fn.body, fn.expression, inner), init);
  }
  throw new NotRecognised();
}
