import { checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import { DDOC_KINDS } from "./protocol.js";
import type { Sandbox, SandboxServices } from "./sandbox/sandbox.js";

const KINDS: ReadonlySet<string> = new Set(DDOC_KINDS);

interface DesignDoc {
  doc: Record<string, unknown>;
  text: string;
  /** Compiled functions by fun path; each in its own sandbox, compiled on first call. */
  functions: Map<string, Sandbox>;
}

/**
 * Design documents taught with `ddoc new` and calls into their functions (PROTOCOL.md §4).
 * Survives `reset`; a new revision under the same id replaces the old one and its functions.
 */
export class DesignDocs {
  private readonly docs = new Map<string, DesignDoc>();

  constructor(private readonly services: SandboxServices) {}

  teach(id: unknown, doc: unknown): void {
    if (typeof id !== "string" || typeof doc !== "object" || doc === null) {
      throw errorReply("query_protocol_error", "ddoc new expects an id and a design document");
    }
    this.docs.set(id, { doc: doc as Record<string, unknown>, text: JSON.stringify(doc), functions: new Map() });
  }

  /** `["ddoc", id, funPath, args]`; the sandbox parses `line` itself for the arguments. */
  call(command: unknown[], line: string): string {
    const id = String(command[1]);
    const ddoc = this.docs.get(id);
    if (!ddoc) throw errorReply("query_protocol_error", `uncached design doc: ${id}`, true);
    const funPath = command[2];
    if (!Array.isArray(funPath) || !Array.isArray(command[3])) {
      throw errorReply("query_protocol_error", "ddoc call expects a function path and a list of arguments");
    }
    const kind = String(funPath[0]);
    if (!KINDS.has(kind)) throw errorReply("unknown_command", `unknown ddoc command '${kind}'`, true);
    const key = funPath.join("\u0000");
    let sandbox = ddoc.functions.get(key);
    if (!sandbox) {
      const source = lookUp(ddoc.doc, funPath, id);
      sandbox = compiledSandbox(source, kind === "views" ? "views" : "ddoc", ddoc.text, funPath.join("."), this.services);
      ddoc.functions.set(key, sandbox);
    }
    return checked(sandbox.ddoc(kind, line));
  }
}

/** The reference's walk down the fun path: a missing leaf is `not_found`, a missing branch a TypeError. */
function lookUp(doc: Record<string, unknown>, funPath: unknown[], id: string): unknown {
  let point: unknown = doc;
  for (let i = 0; i < funPath.length; i++) {
    if (point === null || point === undefined) throw errorReply("TypeError", {});
    // Own properties only: a path like ["shows", "constructor"] must not find Object's.
    const name = String(funPath[i]);
    const value = typeof point === "object" && Object.hasOwn(point, name) ? (point as Record<string, unknown>)[name] : undefined;
    if (i + 1 === funPath.length) {
      if (!value) throw errorReply("not_found", `missing ${String(funPath[0])} function ${String(funPath[i])} on design doc ${id}`);
      return value;
    }
    point = value;
  }
  return undefined;
}
