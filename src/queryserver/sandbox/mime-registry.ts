/**
 * registerType() state (PROTOCOL.md §9). Process-global in the reference: registrations
 * survive reset and are visible to every later show or list, so it lives in the host and the
 * sandboxes read it as JSON. Bounded like the caches: registrations beyond MAX_KEYS new keys
 * or MAX_MIMES types per key (and per key on average, over all keys) are ignored (the built-in ones below count as 15
 * keys), so show
 * functions registering fresh keys on every call cannot grow the process without end.
 */
const MAX_KEYS = 256;
const MAX_MIMES = 32;

export class MimeRegistry {
  private readonly mimesByKey = new Map<string, string[]>();
  private readonly keysByMime = new Map<string, string>();
  private json: string | undefined;

  constructor() {
    this.register("all", ["*/*"]);
    this.register("text", ["text/plain; charset=utf-8", "txt"]);
    this.register("html", ["text/html; charset=utf-8"]);
    this.register("xhtml", ["application/xhtml+xml", "xhtml"]);
    this.register("xml", ["application/xml", "text/xml", "application/x-xml"]);
    this.register("js", ["text/javascript", "application/javascript", "application/x-javascript"]);
    this.register("css", ["text/css"]);
    this.register("ics", ["text/calendar"]);
    this.register("csv", ["text/csv"]);
    this.register("rss", ["application/rss+xml"]);
    this.register("atom", ["application/atom+xml"]);
    this.register("yaml", ["application/x-yaml", "text/yaml"]);
    this.register("multipart_form", ["multipart/form-data"]);
    this.register("url_encoded_form", ["application/x-www-form-urlencoded"]);
    this.register("json", ["application/json", "text/x-json"]);
  }

  register(key: string, mimes: string[]): void {
    if (!this.mimesByKey.has(key) && this.mimesByKey.size >= MAX_KEYS) return;
    mimes = mimes.slice(0, MAX_MIMES);
    this.mimesByKey.set(key, mimes);
    for (const mime of mimes) {
      if (this.keysByMime.has(mime) || this.keysByMime.size < MAX_KEYS * MAX_MIMES) this.keysByMime.set(mime, key);
    }
    this.json = undefined;
  }

  /** `{mimesByKey, keysByMime}` as JSON text, in registration order. */
  toJSON(): string {
    this.json ??= JSON.stringify({
      mimesByKey: Object.fromEntries(this.mimesByKey),
      keysByMime: Object.fromEntries(this.keysByMime),
    });
    return this.json;
  }
}
