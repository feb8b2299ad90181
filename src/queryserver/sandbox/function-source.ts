import { stripTypes } from "./ts-strip.js";

/**
 * Turning a couchjs-style function source into a compilable script (PROTOCOL.md §7).
 *
 * The source is tried as written first, so that a named declaration or `1 + 1` evaluates to a
 * non-function exactly like in the reference. When that is a syntax error (the usual anonymous
 * `function (doc) {...}` at statement position), each top-level-looking `function` keyword,
 * last first, is wrapped in parentheses: either up to the end (`(...\n)`, which tolerates a
 * trailing `// comment`) or up to the last `}` (which tolerates a trailing `;` or comment).
 * Wrapping a nested function leaves the parentheses unbalanced, so only the outermost works.
 * Exported for the CLI's syntax check of a design doc (src/cli/design-doc-syntax.ts), which must
 * accept exactly the sources this server does.
 */
export function candidateScripts(source: string): string[] {
  const candidates = [source];
  const lastBrace = source.lastIndexOf("}");
  const starts = [...source.matchAll(/\bfunction\b/g)].map((m) => m.index ?? 0).reverse();
  for (const start of starts) {
    const before = source.slice(0, start);
    candidates.push(`${before}(${source.slice(start)}\n)`);
    if (lastBrace > start) {
      candidates.push(`${before}(${source.slice(start, lastBrace + 1)})${source.slice(lastBrace + 1)}`);
    }
  }
  return candidates;
}

/**
 * `import(...)` is the one piece of syntax that reaches the host from a vm context without
 * --experimental-vm-modules: Node rejects it with a host-realm error whose constructor chain
 * leads to the host's Function. Code generation from strings is disabled in the sandbox, so
 * every line of user code passes through here and a lexical check is enough. In a script the
 * keyword can only be followed (after whitespace or comments) by `(`, so this has no false
 * negatives; a string such as "import (x)" is a harmless false positive.
 */
export function usesDynamicImport(source: string): boolean {
  return /\bimport\s*(?:\(|\/\*|\/\/|<!--|-->)/.test(source);
}

export type Compile = (code: string) => unknown;

export class CompileError extends Error {}

/**
 * Compiles with `compile` (which throws SyntaxError for bad syntax) the first candidate that
 * parses as JavaScript; if none does, the same candidates with TypeScript types stripped.
 * Returns what the script evaluated to; throws CompileError with the reference's message shape.
 */
export function compileFunctionSource(source: string, compile: Compile): unknown {
  if (usesDynamicImport(source)) {
    throw new CompileError(`SyntaxError: import() is not available in the query server (${source})`);
  }
  const candidates = candidateScripts(source);
  // Reported error: the JavaScript one of the outermost wrapping (the last JS candidate tried).
  let reported: unknown;
  for (const typescript of [false, true]) {
    for (const candidate of candidates) {
      const code = typescript ? stripTypes(candidate) : candidate;
      if (code === undefined) continue;
      try {
        return compile(code);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        if (!typescript) reported = error;
      }
    }
  }
  throw new CompileError(`${String(reported)} (${source})`);
}
