import { parseExpressionAt, type ArrowFunctionExpression, type FunctionExpression, type Node } from "acorn";

/** A view function as CouchDB stores it (`function (doc) {…}`), parsed by a real JavaScript parser. */
export interface ParsedFunction {
  node: FunctionExpression | ArrowFunctionExpression;
  /** Parameter names in order; a destructured or defaulted parameter is `undefined`. */
  params: Array<string | undefined>;
}

/** Parses one function expression, or returns undefined: anything else is not a view function we can reason about. */
export function parseFunction(source: string): ParsedFunction | undefined {
  let node: Node;
  try {
    node = parseExpressionAt(source, 0, { ecmaVersion: "latest" });
  } catch {
    return undefined;
  }
  if (node.end !== source.trimEnd().length) return undefined;
  if (node.type !== "FunctionExpression" && node.type !== "ArrowFunctionExpression") return undefined;
  const fn = node as FunctionExpression | ArrowFunctionExpression;
  return { node: fn, params: fn.params.map((param) => (param.type === "Identifier" ? param.name : undefined)) };
}

/** Every node under `root`, depth first: enough for the few searches the rewrites make. */
export function* walk(root: Node): Generator<Node> {
  yield root;
  for (const value of Object.values(root)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === "object" && typeof (child as Node).type === "string") yield* walk(child as Node);
    }
  }
}
