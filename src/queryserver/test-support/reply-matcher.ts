/**
 * The comparison rules of shared/transcripts/README.md: exact text by default (numbers by their
 * literal text, member order significant — raw text equality implies both), masks E1–E5 for
 * engine-specific parts, and for 3.3.3 captures the CouchDB-version difference V1.
 */
export interface MatchContext {
  /** CouchDB version of the capture. */
  version: string;
  /** Strings sent in the process file (function sources), to find the ` (<source>)` suffix of E3. */
  sources: Set<string>;
}

/** Undefined when `actual` is an acceptable answer where the reference sent `expected`; else why not. */
export function mismatch(expected: string, actual: string, context: MatchContext): string | undefined {
  if (expected === actual) return undefined;
  const e = parse(expected);
  const a = parse(actual);
  if (e === undefined || a === undefined) return "differs (not JSON)";
  if (isLog(e)) return isLog(a) ? logMismatch(e[1], a[1], context) : "expected a log line";
  if (isError(e)) {
    if (!isError(a)) return "expected an error reply";
    if (e[1] !== a[1]) return `error type ${JSON.stringify(a[1])} instead of ${JSON.stringify(e[1])}`;
    return errorReasonMismatch(e[1], e[2], a[2], context);
  }
  if (context.version === "3.3.3" && equalModuloV1(e, a)) return undefined;
  return "differs";
}

function logMismatch(expected: string, actual: string, context: MatchContext): string | undefined {
  for (const prefix of ["function raised exception ", "function raised error: "]) {
    if (!expected.startsWith(prefix)) continue;
    if (!actual.startsWith(prefix)) return `log text should start with ${JSON.stringify(prefix)} (E1/E2)`;
    const idAt = expected.lastIndexOf(" with doc._id ");
    if (prefix.startsWith("function raised exception") && idAt !== -1 && !actual.endsWith(expected.slice(idAt))) {
      return `log text should end with ${JSON.stringify(expected.slice(idAt))} (E1)`;
    }
    return undefined;
  }
  if (context.version === "3.3.3" && equalModuloV1(parse(expected), parse(actual))) return undefined;
  return "log text differs";
}

function errorReasonMismatch(
  type: string,
  expected: unknown,
  actual: unknown,
  context: MatchContext,
): string | undefined {
  if (type === "unnamed_error" || type === "InternalError") return undefined; // E4, E5
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected.startsWith("function raised error: ")) {
      return actual.startsWith("function raised error: ")
        ? undefined
        : "reason should start with 'function raised error: ' (E2)";
    }
    if (type === "compilation_error") return compilationMismatch(expected, actual, context);
  }
  if (context.version === "3.3.3" && equalModuloV1(expected, actual)) return undefined;
  return "error reason differs";
}

/** E3: exact for "Expression does not eval...", prefix for module errors, else the source suffix. */
function compilationMismatch(expected: string, actual: string, context: MatchContext): string | undefined {
  if (expected.startsWith("Expression does not eval to a function.")) return "compilation message differs";
  const moduleAt = expected.indexOf(" raised error ");
  if (expected.startsWith("Module require('") && moduleAt !== -1) {
    const prefix = expected.slice(0, moduleAt + " raised error ".length);
    return actual.startsWith(prefix) ? undefined : `compilation message should start with ${JSON.stringify(prefix)}`;
  }
  for (const source of context.sources) {
    const suffix = ` (${source})`;
    if (expected.endsWith(suffix))
      return actual.endsWith(suffix) ? undefined : "compilation message should end with the source";
  }
  return undefined;
}

/** V1: 3.3.3 serialises an Error given to emit()/log() as {}, 3.4 as {error, message}. */
function equalModuloV1(expected: unknown, actual: unknown): boolean {
  if (isEmptyObject(expected) && isErrorJson(actual)) return true;
  if (typeof expected === "string" && typeof actual === "string") {
    return expected === actual || (expected === "{}" && isErrorJson(parse(actual)));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((v, i) => equalModuloV1(v, actual[i]))
    );
  }
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) return false;
    const ek = Object.keys(expected);
    const ak = Object.keys(actual);
    return (
      ek.length === ak.length &&
      ek.every(
        (k, i) =>
          k === ak[i] &&
          equalModuloV1((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]),
      )
    );
  }
  return expected === actual;
}

function isEmptyObject(value: unknown): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

function isErrorJson(value: unknown): boolean {
  return !!value && typeof value === "object" && Object.keys(value).join() === "error,message";
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isLog(value: unknown): value is ["log", string] {
  return Array.isArray(value) && value.length === 2 && value[0] === "log" && typeof value[1] === "string";
}

function isError(value: unknown): value is ["error", string, unknown] {
  return Array.isArray(value) && value[0] === "error" && typeof value[1] === "string";
}
