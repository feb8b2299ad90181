import { checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import { LruCache } from "./lru-cache.js";
import { sandboxesReleased } from "./garbage.js";
import { DDOC_KINDS } from "./protocol.js";
import { type Sandbox, type SandboxServices, sandboxBytes } from "./sandbox/sandbox.js";

const KINDS: ReadonlySet<string> = new Set(DDOC_KINDS);

/**
 * Taught design documents kept (bytes: their JSON text, held as text and as objects). One that
 * falls out is "uncached" to CouchDB, which believes it taught this process: the next call into
 * it fails once (fatal, as in the reference) and CouchDB teaches a fresh process. So the limit
 * is generous: more design documents than one process normally serves between idle restarts.
 */
const DESIGN_DOC_CACHE = { maxEntries: 256, maxBytes: 64 * 1024 * 1024 };
/**
 * Compiled design-doc functions kept, over all design documents: each is a V8 context, and
 * one that falls out is simply compiled again from its design document on its next call.
 */
const FUNCTION_CACHE = { maxEntries: 64, maxBytes: 16 * 1024 * 1024 };

interface DesignDoc {
  doc: Record<string, unknown>;
  text: string;
  /** Tells revisions under one id apart in the function cache. */
  serial: number;
}

/**
 * Design documents taught with `ddoc new` and calls into their functions (PROTOCOL.md §4).
 * Survives `reset`; a new revision under the same id replaces the old one (its functions age
 * out of the function cache).
 */
export class DesignDocs {
  private readonly docs = new LruCache<string, DesignDoc>(DESIGN_DOC_CACHE);
  /** Compiled on first call, each in its own sandbox; keyed by design doc serial and fun path. */
  private readonly functions = new LruCache<string, Sandbox>(FUNCTION_CACHE, () => sandboxesReleased());
  private taught = 0;

  constructor(private readonly services: SandboxServices) {}

  teach(id: unknown, doc: unknown): void {
    if (typeof id !== "string" || typeof doc !== "object" || doc === null) {
      throw errorReply("query_protocol_error", "ddoc new expects an id and a design document");
    }
    const text = JSON.stringify(doc);
    this.docs.set(id, { doc: doc as Record<string, unknown>, text, serial: ++this.taught }, 3 * text.length);
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
    const key = `${ddoc.serial}\u0000${funPath.join("\u0000")}`;
    let sandbox = this.functions.get(key);
    if (!sandbox) {
      const source = lookUp(ddoc.doc, funPath, id);
      sandbox = compiledSandbox(
        source,
        kind === "views" ? "views" : "ddoc",
        ddoc.text,
        funPath.join("."),
        this.services,
      );
      this.functions.set(key, sandbox, sandboxBytes(String(source)) + 2 * ddoc.text.length);
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
    const value =
      typeof point === "object" && Object.hasOwn(point, name) ? (point as Record<string, unknown>)[name] : undefined;
    if (i + 1 === funPath.length) {
      if (!value)
        throw errorReply(
          "not_found",
          `missing ${String(funPath[0])} function ${String(funPath[i])} on design doc ${id}`,
        );
      return value;
    }
    point = value;
  }
  return undefined;
}
