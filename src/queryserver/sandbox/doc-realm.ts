import vm from "node:vm";
import { installDocRealm } from "../runtime/doc-realm.js";
import { canonicalKeyCount } from "./canonical-json.js";
import { isolatedContext } from "./isolated-context.js";

interface DocRealmApi {
  parse(text: string): unknown;
  keyCount(): number;
}

/**
 * Host side of the document realm (see ../runtime/doc-realm.ts): parses each map_doc document
 * once for all map functions and tells whether its text can be reused verbatim.
 */
export class DocRealm {
  private readonly api: DocRealmApi;
  private text = "";
  private canonical: boolean | undefined;

  constructor() {
    const api = vm.runInContext(`(${installDocRealm.toString()})()`, isolatedContext()) as DocRealmApi;
    this.api = { parse: api.parse, keyCount: api.keyCount };
  }

  /** A frozen document object of the realm, or undefined when the text is not JSON. */
  parse(text: string): unknown {
    this.text = text;
    this.canonical = undefined;
    return this.api.parse(text);
  }

  /** Drops the last document's text once its map_doc is answered (it may be 64 MiB). */
  forget(): void {
    this.text = "";
    this.canonical = undefined;
  }

  /**
   * The text of the last parsed document if JSON.stringify would reproduce it byte for byte,
   * else null. Computed on demand (only when a map function emits the whole document).
   */
  canonicalText(): string | null {
    this.canonical ??= canonicalKeyCount(this.text) === this.api.keyCount();
    return this.canonical ? this.text : null;
  }
}
