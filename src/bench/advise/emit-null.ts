/**
 * `emit(key, doc)` → `emit(key, null)`: the index stops storing a copy of every document, and
 * readers get the document with `include_docs=true` instead — the same document, read from
 * the database at query time. Only when the map function never changes `doc` (otherwise the
 * emitted copy differs from the stored document) and emits the very parameter CouchDB passes.
 */
import type { Node } from "acorn";
import { parseFunction, walk } from "./js-function.js";

/** The map function with every `emit(…, doc)` emitting `null`, or undefined when it does not apply. */
export function emitNullMap(source: string): string | undefined {
  const parsed = parseFunction(source);
  const docName = parsed?.params[0];
  if (!parsed || !docName) return undefined;
  const nodes = [...walk(parsed.node.body as Node)];
  if (nodes.some((node) => writesTo(node, docName) || declares(node, docName))) return undefined;
  const emittedDocs = nodes
    .filter(
      (node): node is Node & { callee: Node & { name?: string }; arguments: Array<Node & { name?: string }> } =>
        node.type === "CallExpression",
    )
    .filter((call) => call.callee.type === "Identifier" && call.callee.name === "emit" && call.arguments.length === 2)
    .map((call) => call.arguments[1]!)
    .filter((value) => value.type === "Identifier" && value.name === docName);
  if (emittedDocs.length === 0 || bareUses(nodes, docName) > emittedDocs.length) return undefined;
  let rewritten = source;
  for (const value of emittedDocs.sort((a, b) => b.start - a.start))
    rewritten = `${rewritten.slice(0, value.start)}null${rewritten.slice(value.end)}`;
  return rewritten;
}

/** `doc.x = …`, `doc.n++`, `delete doc.x`, `doc = …`: the emitted document would not be the stored one. */
function writesTo(node: Node, docName: string): boolean {
  const target =
    node.type === "AssignmentExpression"
      ? (node as unknown as { left: Node }).left
      : node.type === "UpdateExpression"
        ? (node as unknown as { argument: Node }).argument
        : node.type === "UnaryExpression" && (node as unknown as { operator: string }).operator === "delete"
          ? (node as unknown as { argument: Node }).argument
          : undefined;
  return target !== undefined && rootName(target) === docName;
}

/** A nested function or variable reusing the name: we would not know which `doc` is emitted. */
function declares(node: Node, docName: string): boolean {
  if (node.type === "VariableDeclarator") return rootName((node as unknown as { id: Node }).id) === docName;
  if (
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression" ||
    node.type === "FunctionDeclaration"
  ) {
    return (node as unknown as { params: Node[] }).params.some((param) => rootName(param) === docName);
  }
  return false;
}

/**
 * Uses of `doc` other than reading a field: passing it to a function or aliasing it may change
 * it behind our back (the output check would catch that too, but an unprovable rewrite is not offered).
 */
function bareUses(nodes: Node[], docName: string): number {
  const isDoc = (node: Node | undefined) =>
    node?.type === "Identifier" && (node as Node & { name: string }).name === docName;
  const names = new Set<Node>();
  const notUses = new Set<Node>();
  for (const node of nodes) {
    const n = node as Node & {
      object?: Node;
      property?: Node;
      computed?: boolean;
      key?: Node;
      shorthand?: boolean;
      value?: Node;
    };
    if (isDoc(node)) names.add(node);
    if (node.type === "MemberExpression") {
      if (isDoc(n.object)) notUses.add(n.object!);
      if (!n.computed && n.property) notUses.add(n.property);
    }
    if (node.type === "Property" && !n.computed && !n.shorthand && n.key) notUses.add(n.key);
  }
  return [...names].filter((node) => !notUses.has(node)).length;
}

/** The variable at the root of `a.b[c].d`. */
function rootName(node: Node): string | undefined {
  let current = node as Node & { object?: Node; name?: string };
  while (current.type === "MemberExpression") current = current.object as typeof current;
  return current.type === "Identifier" ? current.name : undefined;
}
