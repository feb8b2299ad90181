import { BAD_DOC, checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import type { Sandbox, SandboxServices } from "./sandbox/sandbox.js";

/**
 * View-indexing state (PROTOCOL.md §3.1–3.4, §3.8): the `add_fun` list and the `add_lib`
 * library. Cleared by `reset`; each function lives in its own sandbox, so after reset a
 * re-added function starts in a pristine environment.
 */
export class ViewFunctions {
  private functions: Sandbox[] = [];
  private libText = "null";

  constructor(private readonly services: SandboxServices) {}

  get count(): number {
    return this.functions.length;
  }

  reset(): void {
    this.functions = [];
    this.libText = "null";
  }

  addLib(lib: unknown): void {
    this.libText = JSON.stringify(lib ?? null);
  }

  addFun(source: unknown, option: unknown): void {
    const mode = option === "nouveau" ? "nouveau" : "map";
    const root = `{"views":{"lib":${this.libText}}}`;
    this.functions.push(compiledSandbox(source, mode, root, "map", this.services));
  }

  /**
   * Runs every function over the document given as JSON text. Each sandbox parses and freezes
   * its own copy, so no function sees another's changes. Returns undefined when the text is not
   * a JSON document (the caller then reparses the whole line).
   */
  mapDoc(docText: string): string | undefined {
    let reply = "[";
    for (let i = 0; i < this.functions.length; i++) {
      const result = this.functions[i].map(docText);
      if (result === BAD_DOC) return undefined;
      reply += (i ? "," : "") + checked(result);
    }
    return reply + "]";
  }

  /** map_doc / index_doc when the fast path could not take the document text from the line. */
  mapParsed(doc: unknown): string {
    const reply = this.mapDoc(JSON.stringify(doc ?? null));
    if (reply === undefined) throw errorReply("query_protocol_error", "document is not JSON");
    return reply;
  }
}
