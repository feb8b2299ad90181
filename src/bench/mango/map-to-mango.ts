/**
 * Which JavaScript map functions a Mango JSON index reproduces exactly, proven from the source (parsed with acorn),
 * never inferred from equal output on one dataset — generated documents may all happen to have the field.
 *
 * What a Mango JSON index on fields `f1…fn` does (mango_native_proc.erl, mango_doc:get_field/2): a document is
 * indexed, with key `[v1…vn]` and value `null`, exactly when every field exists — a `null` value exists, a missing
 * field does not. A nested field `a.b` exists when `a` is an object (not an array, string or number) with an own key
 * `b`; a path segment that is an integer indexes into an array.
 *
 * The covered shape, and why each part is equivalent:
 *
 *     function (doc) { if (GUARD) emit(KEY, null); }          (or `{ emit(KEY, null); }`, or `emit(KEY)`)
 *
 * - KEY is `[doc.f1, …, doc.fn]` (the Mango key, row for row) or one `doc.f` (the Mango key is `[value]`: equivalent
 *   rows with the key wrapped in an array — `keyIsArray` says which). Fields are `doc.a`, `doc["a-b"]`, nested
 *   `doc.a.b`, optionally with `?.`.
 * - GUARD is a `&&` of one existence test per key field and nothing else: `doc.f !== undefined` (either side),
 *   `typeof doc.f !== "undefined"`, or, top-level only, `"f" in doc`. JSON has no `undefined`, so on a parsed
 *   document these hold exactly when the field is present, whatever its value (null included).
 * - A nested field's parents must be safe to read: each parent is either guarded by truthiness earlier in the
 *   conjunction (`doc.a && doc.a.b !== undefined`) or read with `?.` (`doc.a?.b !== undefined`). A truthy parent
 *   that is not an object (a string, number, array, `true`) has no own property `b`, so the test fails, as Mango's
 *   path does — given `b` is not a property of those values' prototypes, which is why such names (`length`,
 *   `constructor`, `toString`, `__proto__`…) and integer segments (`"abc"[0]` is `"a"`) are refused.
 *   Without the parent guard the JS map throws a TypeError for documents without the parent: the same rows in the
 *   end (CouchDB skips a document whose map throws), but one logged error per document, so it is not accepted.
 *
 * Not equivalent, and refused with a reason: no guard (documents without the field emit `[null]`); truthiness
 * (`if (doc.type)` also skips null, false, 0 and ""); `!= null` / `!= undefined` (also skip null); a guard on a
 * field that is not in the key, or a key field without a guard; any value other than `null`; anything else in the
 * body. The reduce is the caller's concern: a Mango index always carries `_count`.
 */
import type { Node } from "acorn";
import { parseFunction } from "../advise/js-function.js";

export interface MangoEquivalent {
  /** Mango field names, in key order: nested fields dotted (`title.en-us`). */
  fields: string[];
  /** True when the map emits the array key Mango does; false for `emit(doc.f, null)`, whose Mango key is `[value]`. */
  keyIsArray: boolean;
}

export type MangoDerivation = { equivalent: MangoEquivalent } | { reason: string };

class NotEquivalent extends Error {}

/** The Mango JSON index equivalent to a map function's rows, or why there is none. */
export function mangoEquivalent(map: string): MangoDerivation {
  const parsed = parseFunction(map);
  if (!parsed) return { reason: "not a single JavaScript function" };
  const docName = parsed.params[0];
  if (!docName) return { reason: "its first parameter is not a plain name" };
  try {
    return { equivalent: deriveFrom(parsed.node.body as Node, docName) };
  } catch (error) {
    if (error instanceof NotEquivalent) return { reason: error.message };
    throw error;
  }
}

type AnyNode = Node & Record<string, unknown>;

function deriveFrom(body: Node, docName: string): MangoEquivalent {
  const statements = body.type === "BlockStatement" ? (body as AnyNode).body : [body];
  const [only, ...rest] = (statements as AnyNode[]).filter((statement) => statement.type !== "EmptyStatement");
  if (!only || rest.length > 0) refuse("the body is more than one guarded emit");
  if (only.type !== "IfStatement") {
    if (emitCall(only)) refuse("it emits for every document; Mango indexes only documents that have every field");
    refuse("the body is not `if (…) emit(…)`");
  }
  if (only.alternate) refuse("its if has an else branch");
  const call = emitCall(singleStatement(only.consequent as AnyNode));
  if (!call) refuse("the if does not hold exactly one emit(…)");
  const [key, value, ...extra] = call.arguments as AnyNode[];
  if (!key || extra.length > 0) refuse("emit takes a key and a value");
  if (value && !(value.type === "Literal" && value.value === null))
    refuse("it emits a value; a Mango index's value is always null (readers would use include_docs)");
  const keyIsArray = key.type === "ArrayExpression";
  const keyPaths = (keyIsArray ? (key.elements as Array<AnyNode | null>) : [key]).map((element) => {
    const path = element && fieldPath(element, docName);
    if (!path) refuse("its key is not a field of doc or an array of fields of doc");
    return path.map(({ name }) => name);
  });
  if (keyPaths.length === 0) refuse("its key is an empty array");
  const fields = keyPaths.map(mangoField);
  if (new Set(fields).size !== fields.length) refuse("its key repeats a field");
  const tested = guardedFields(only.test as AnyNode, docName);
  const missing = fields.filter((field) => !tested.has(field));
  if (missing.length)
    refuse(`${missing.map((f) => `doc.${f}`).join(", ")} is in the key but not tested with !== undefined`);
  const extraTests = [...tested].filter((field) => !fields.includes(field));
  if (extraTests.length)
    refuse(`it also tests ${extraTests.map((f) => `doc.${f}`).join(", ")}, which is not in the key`);
  return { fields, keyIsArray };
}

function refuse(reason: string): never {
  throw new NotEquivalent(reason);
}

function singleStatement(node: AnyNode): AnyNode {
  if (node.type !== "BlockStatement") return node;
  const statements = (node.body as AnyNode[]).filter((statement) => statement.type !== "EmptyStatement");
  return statements.length === 1 ? statements[0]! : node;
}

function emitCall(statement: AnyNode): AnyNode | undefined {
  const call = statement.type === "ExpressionStatement" ? (statement.expression as AnyNode) : undefined;
  const callee = call?.type === "CallExpression" ? (call.callee as AnyNode) : undefined;
  return callee?.type === "Identifier" && callee.name === "emit" ? call : undefined;
}

/** One step of a field path, and whether it was read with `?.`. */
interface Step {
  name: string;
  optional: boolean;
}

/** `doc.a`, `doc["a"]`, `doc.a.b`, `doc.a?.b` (any spelling) → its steps; undefined for anything else. */
function fieldPath(node: AnyNode, docName: string): Step[] | undefined {
  const expression = node.type === "ChainExpression" ? (node.expression as AnyNode) : node;
  if (expression.type !== "MemberExpression") return undefined;
  const object = expression.object as AnyNode;
  const property = expression.property as AnyNode;
  const name =
    expression.computed === true
      ? property.type === "Literal" && typeof property.value === "string"
        ? property.value
        : undefined
      : property.type === "Identifier"
        ? (property.name as string)
        : undefined;
  if (name === undefined) return undefined;
  const step = { name, optional: expression.optional === true };
  if (object.type === "Identifier") return object.name === docName ? [step] : undefined;
  const parent = fieldPath(object, docName);
  return parent && [...parent, step];
}

/** Properties every JSON value a path may pass through inherits: reading one finds something Mango would not. */
const INHERITED = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype];

function mangoField(path: string[]): string {
  path.forEach((name, depth) => {
    if (name === "" || /[.\\]/.test(name) || name.startsWith("$"))
      refuse(`field "${name}" is empty or has a dot, backslash or leading $, which Mango reads differently`);
    if (/^[+-]?\d+$/.test(name)) refuse(`field "${name}" is an integer, which Mango reads as an array index`);
    const inherited = depth === 0 ? [Object.prototype] : INHERITED;
    if (inherited.some((prototype) => name in prototype))
      refuse(`field "${name}" is also an inherited JavaScript property, found on documents without the field`);
  });
  return path.join(".");
}

/** The Mango fields the guard tests for existence; refuses any other condition. */
function guardedFields(test: AnyNode, docName: string): Set<string> {
  const conjuncts: AnyNode[] = [];
  const flatten = (node: AnyNode) => {
    if (node.type === "LogicalExpression" && node.operator === "&&") {
      flatten(node.left as AnyNode);
      flatten(node.right as AnyNode);
    } else conjuncts.push(node);
  };
  flatten(test);
  const truthy = new Set<string>();
  const exists = new Set<string>();
  /** Every parent of a path must be guarded by truthiness before it, or read with `?.`. */
  const assertReadable = (steps: Step[]) => {
    for (let depth = 1; depth < steps.length; depth++) {
      const parent = steps.slice(0, depth).map(({ name }) => name);
      if (!steps[depth]!.optional && !truthy.has(parent.join(".")))
        refuse(
          `doc.${parent.join(".")} is read before it is known to exist — guard it first (doc.${parent.join(".")} && …) or use ?.`,
        );
    }
  };
  for (const conjunct of conjuncts) {
    const existence = existenceTest(conjunct, docName);
    if (existence) {
      assertReadable(existence);
      exists.add(mangoField(existence.map(({ name }) => name)));
      continue;
    }
    const path = fieldPath(conjunct, docName);
    if (path) {
      assertReadable(path);
      truthy.add(path.map(({ name }) => name).join("."));
      continue;
    }
    refuse(describeRefusedTest(conjunct, docName));
  }
  for (const parent of truthy) {
    if (![...exists].some((field) => field.startsWith(`${parent}.`)))
      refuse(
        `its truthiness test of doc.${parent} is not existence: it also skips null, false, 0 and "", which Mango indexes`,
      );
  }
  return exists;
}

/** `doc.f !== undefined`, `undefined !== doc.f`, `typeof doc.f !== "undefined"`, `"f" in doc` → the path of f. */
function existenceTest(node: AnyNode, docName: string): Step[] | undefined {
  if (node.type !== "BinaryExpression") return undefined;
  const left = node.left as AnyNode;
  const right = node.right as AnyNode;
  if (node.operator === "in") {
    return left.type === "Literal" && typeof left.value === "string" && isName(right, docName)
      ? [{ name: left.value, optional: false }]
      : undefined;
  }
  if (node.operator !== "!==") return undefined;
  for (const [field, other] of [
    [left, right],
    [right, left],
  ] as const) {
    if (isUndefined(other)) return fieldPath(field, docName);
    if (other.type === "Literal" && other.value === "undefined" && field.type === "UnaryExpression") {
      if (field.operator === "typeof") return fieldPath(field.argument as AnyNode, docName);
    }
  }
  return undefined;
}

function describeRefusedTest(node: AnyNode, docName: string): string {
  if (node.type === "BinaryExpression" && (node.operator === "!=" || node.operator === "!==")) {
    const sides = [node.left as AnyNode, node.right as AnyNode];
    if (sides.some((side) => side.type === "Literal" && side.value === null) || node.operator === "!=")
      return `${node.operator} ${node.operator === "!=" ? "null/undefined" : "null"} also skips documents whose field is null, which Mango indexes`;
  }
  if (node.type === "BinaryExpression" && node.operator === "in")
    return `"…" in doc.x (nested) throws on a string or number; only "f" in ${docName} is covered`;
  return "its condition is not a conjunction of existence tests (doc.f !== undefined)";
}

function isUndefined(node: AnyNode): boolean {
  return (
    (node.type === "Identifier" && node.name === "undefined") ||
    (node.type === "UnaryExpression" &&
      node.operator === "void" &&
      (node.argument as AnyNode).type === "Literal" &&
      (node.argument as AnyNode).value === 0)
  );
}

function isName(node: AnyNode, name: string): boolean {
  return node.type === "Identifier" && node.name === name;
}
