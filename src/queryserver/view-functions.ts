import { checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import { DocRealm } from "./sandbox/doc-realm.js";
import { sandboxesReleased } from "./garbage.js";
import type { Sandbox, SandboxServices } from "./sandbox/sandbox.js";

/**
 * View-indexing state (PROTOCOL.md §3.1–3.4, §3.8): the `add_fun` list and the `add_lib`
 * library. Cleared by `reset`; each function lives in its own sandbox, so after reset a
 * re-added function starts in a pristine environment.
 */
export class ViewFunctions {
  private functions: Sandbox[] = [];
  private libText = "null";
  /** Created with the first document: freezing its intrinsics takes a few milliseconds. */
  private docRealm: DocRealm | undefined;

  constructor(private readonly services: SandboxServices) {}

  get count(): number {
    return this.functions.length;
  }

  reset(): void {
    sandboxesReleased(this.functions.length);
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
   * Runs every function over the document given as JSON text, parsed and deep-frozen once in
   * the document realm, so no function sees another's changes. Returns undefined when the text
   * is not JSON (the caller then parses the whole line itself).
   */
  mapDoc(docText: string): string | undefined {
    this.docRealm ??= new DocRealm();
    const doc = this.docRealm.parse(docText);
    if (doc === undefined) return undefined;
    let reply = "[";
    for (let i = 0; i < this.functions.length; i++) {
      reply += (i ? "," : "") + checked(this.functions[i].map(doc, docText.length));
    }
    this.docRealm.forget();
    return reply + "]";
  }

  /** For the sandboxes' splice of an emitted document (see runtime/views.ts). */
  canonicalDocText(): string | null {
    return this.docRealm?.canonicalText() ?? null;
  }

  /** map_doc / index_doc when the fast path could not take the document text from the line. */
  mapParsed(doc: unknown): string {
    const reply = this.mapDoc(JSON.stringify(doc ?? null));
    if (reply === undefined) throw errorReply("query_protocol_error", "document is not JSON");
    return reply;
  }
}
