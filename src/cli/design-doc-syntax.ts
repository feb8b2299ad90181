/**
 * The syntax check of `--ddoc` design docs, before any target starts: a map or reduce that cannot compile is the
 * design doc's fault, and found here it costs a second instead of a run of skipped builds blamed on the query servers.
 *
 * A source is accepted as the servers accept it: the candidate wrappings of couchbench's own query server
 * (function-source.ts), parsed with acorn, and for the typescript language also after that server's type-stripping
 * step (ts-strip.ts). The check lives in the CLI because only it may import the query server's modules
 * (import-layers.test.ts). Erlang sources and the languages of `--query-server` servers are not parsed.
 */
import { parse } from "acorn";
import type { DesignDocTemplate } from "../bench/design-docs.js";
import { UsageError } from "../core/errors.js";
import { candidateScripts } from "../queryserver/sandbox/function-source.js";
import { transformTypeScript } from "../queryserver/sandbox/ts-strip.js";

type Dialect = "javascript" | "typescript";

/** The design doc languages whose functions couchbench can parse, and as what. */
const DIALECTS: Readonly<Record<string, Dialect>> = {
  javascript: "javascript",
  javascript_quickjs: "javascript",
  typescript: "typescript",
};

export interface SyntaxProblem {
  /** The parser's message, without its own position. */
  message: string;
  /** 1-based, in the source as written in the design doc. */
  line: number;
  column: number;
}

/** Where `source` fails to parse, or undefined when a server reading `dialect` can compile it. */
export function syntaxProblem(source: string, dialect: Dialect): SyntaxProblem | undefined {
  const candidates = candidateScripts(source);
  const parses = (code: string) => errorOf(() => parseScript(code)) === undefined;
  if (candidates.some(parses)) return undefined;
  if (
    dialect === "typescript" &&
    candidates.some((code) => errorOf(() => parseScript(transformTypeScript(code))) === undefined)
  )
    return undefined;
  // Reported: the source wrapped in parentheses from its first `function` on, the way CouchDB's servers read an
  // anonymous function; every position after the opening parenthesis is one further on than in the source.
  const start = source.search(/\bfunction\b/);
  const wrapped = start < 0 ? source : `${source.slice(0, start)}(${source.slice(start)}\n)`;
  const error = errorOf(() => parseScript(dialect === "typescript" ? transformTypeScript(wrapped) : wrapped));
  if (!error) return undefined;
  const pos = start < 0 || error.pos <= start ? error.pos : Math.min(error.pos - 1, source.length);
  const before = source.slice(0, pos);
  return {
    message: error.message.replace(/\s*\(\d+:\d+\)$/, ""),
    line: before.split("\n").length,
    column: pos - before.lastIndexOf("\n"),
  };
}

function parseScript(code: string): void {
  parse(code, { ecmaVersion: "latest", sourceType: "script" });
}

/** acorn's and Sucrase's SyntaxErrors both carry the offset they stopped at. */
function errorOf(attempt: () => void): { message: string; pos: number } | undefined {
  try {
    attempt();
    return undefined;
  } catch (error) {
    const { message, pos } = error as { message: string; pos?: number };
    return { message, pos: pos ?? 0 };
  }
}

/** `_sum`, `_count`, `_stats`…: CouchDB's own reduces, not code. */
function isBuiltInReduce(source: string): boolean {
  return /^\s*_[a-z0-9_]+\s*$/.test(source);
}

/**
 * Throws a UsageError for the first map or reduce of `templates` that one of `servers` would fail to compile: the
 * design doc, the view, map or reduce, the parser's message and its line and column. Run, advise and ingest call it
 * with the design docs they loaded and the servers that will build them, before any target starts.
 */
export function assertDesignDocsParse(
  templates: Iterable<DesignDocTemplate>,
  servers: ReadonlyArray<{ name: string; language: string }>,
): void {
  for (const template of templates) {
    for (const view of Object.keys(template.views)) {
      for (const part of ["map", "reduce"] as const) {
        const compiles: string[] = [];
        const failing: string[] = [];
        let problem: SyntaxProblem | undefined;
        for (const server of servers) {
          const dialect = DIALECTS[server.language];
          const source = (template.languages?.[server.language] ?? template.views)[view]?.[part];
          if (!dialect || source === undefined || isBuiltInReduce(source)) continue;
          const found = syntaxProblem(source, dialect);
          if (found) {
            failing.push(server.name);
            problem ??= found;
          } else compiles.push(server.name);
        }
        if (!problem) continue;
        const where = `--ddoc ${template.source}: syntax error in the ${part} of view "${view}" at line ${problem.line}, column ${problem.column}: ${problem.message}`;
        throw new UsageError(
          compiles.length === 0
            ? `${where} — fix the function; no query server can compile it`
            : `${where} (as ${failing.join(", ")} read${failing.length > 1 ? "" : "s"} it; ${compiles.join(", ")} can compile it) — fix it, or leave ${failing.join(", ")} out of --servers`,
        );
      }
    }
  }
}
