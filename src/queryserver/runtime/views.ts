/**
 * Sandbox runtime, part 6: map_doc, index_doc/nouveau_index_doc and reduce/rereduce for the one
 * function of this sandbox (PROTOCOL.md §3.4–3.8), ported from views.js, dreyfus.js and
 * nouveau.js. Runs inside the sandbox (see core.ts for the rules).
 */
export function installViews(rt: any, host: any): void {
  const stringify = rt.stringify;
  const hostDocText = host.docText;
  const ArrayProto = Array.prototype;
  const RangeErrorCtor = RangeError;
  const ObjectProto = Object.prototype;
  let results: any[] = [];
  let currentDoc: any;
  let docEmitted = false;

  // The emit limit: JSON one map call may emit (QuickJS's couchjs caps its whole heap at 64
  // MiB). `while (true) emit(doc, doc)` must end at once, not grow the heap until the timeout.
  // Measured by stringifying what was emitted since the last check, at 16 emits, then at each
  // doubling up to 1024, then every 1024 (views emitting a few rows per document never pay);
  // emits of the document itself count its text length at once, in between.
  const EMIT_LIMIT_BYTES = 64 * 1024 * 1024;
  const FIRST_CHECK = 16;
  const CHECK_EVERY = 1024;
  let docLength = 0;
  let measured = 0;
  let emittedBytes = 0;
  let uncheckedDocBytes = 0;
  let nextCheck = FIRST_CHECK;
  let overLimit = false;

  function startCall(doc: any, length: number): void {
    results = [];
    currentDoc = doc;
    docEmitted = false;
    docLength = length;
    measured = emittedBytes = uncheckedDocBytes = 0;
    nextCheck = FIRST_CHECK;
    overLimit = false;
  }

  function limitExceeded(): any {
    overLimit = true;
    results = [];
    return new RangeErrorCtor("emit limit exceeded");
  }

  function collect(item: any): void {
    if (overLimit) throw limitExceeded();
    results.push(item);
    if (emittedBytes + uncheckedDocBytes > EMIT_LIMIT_BYTES) throw limitExceeded();
    if (results.length < nextCheck) return;
    let text: string | undefined;
    try {
      text = stringify(results.slice(measured));
    } catch {
      // not serialisable (BigInt, cycles): the final stringify reports it
    }
    measured = results.length;
    emittedBytes += text === undefined ? 0 : text.length;
    uncheckedDocBytes = 0;
    nextCheck = measured < CHECK_EVERY ? measured * 2 : measured + CHECK_EVERY;
    if (emittedBytes > EMIT_LIMIT_BYTES) throw limitExceeded();
  }

  function emit(key: any, value: any): void {
    if (value === currentDoc && value !== undefined) docEmitted = true;
    if (currentDoc !== undefined) {
      if (key === currentDoc) uncheckedDocBytes += docLength;
      if (value === currentDoc) uncheckedDocBytes += docLength;
    }
    collect([key, rt.errorToJson(value)]);
  }
  function emitFlag(): void {
    rt.emitted = true;
  }

  function dreyfusIndex(name: any, value: any, options: any): void {
    if (typeof name !== "string") throw { name: "TypeError", message: "name must be a string not " + typeof name };
    if (name.substring(0, 1) === "_") throw { name: "ReservedName", message: "name must not start with an underscore" };
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw { name: "TypeError", message: "value must be a string, a number or boolean not " + typeof value };
    }
    if (options && typeof options !== "object") {
      throw { name: "TypeError", message: "options must be an object not " + typeof options };
    }
    collect([name, value, options || {}]);
  }

  function assertType(name: string, expected: string, actual: any): void {
    if (typeof actual !== expected) {
      throw { name: "TypeError", message: "type of " + name + " must be a " + expected + " not " + typeof actual };
    }
  }
  function nouveauIndex(type: any, name: any, value: any, options: any): void {
    assertType("type", "string", type);
    assertType("name", "string", name);
    if (name.substring(0, 1) === "_") throw { name: "ReservedName", message: "name must not start with an underscore" };
    options = options || {};
    switch (type) {
      case "double":
      case "string":
        assertType("value", type == "double" ? "number" : "string", value);
        collect({ "@type": type, name, value, store: options.store, facet: options.facet });
        break;
      case "text":
        assertType("value", "string", value);
        collect({ "@type": type, name, value, store: options.store });
        break;
      case "stored":
        if (typeof value != "number" && typeof value != "string") {
          throw { name: "TypeError", message: "type of " + value + " must be a string or number" };
        }
        collect({ "@type": type, name, value });
        break;
      default:
        throw { name: "TypeError", message: type + " not supported" };
    }
  }

  /**
   * Emits as JSON text. A pair whose value is the document itself reuses the document's JSON
   * text from CouchDB when the host vouches that it is what JSON.stringify would write (and no
   * toJSON on the pair's prototypes could make a difference): the most expensive part of
   * "emit(key, doc)" views is skipped.
   */
  function serialise(pairs: any[], doc: any): string {
    const text =
      docEmitted && !("toJSON" in ArrayProto) && !("toJSON" in ObjectProto) ? rt.callHost(hostDocText) : null;
    if (typeof text !== "string") return stringify(pairs);
    let out = "[";
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (i > 0) out += ",";
      out += pair[1] === doc ? "[" + stringify([pair[0]]).slice(1, -1) + "," + text + "]" : stringify(pair);
    }
    return out + "]";
  }

  /**
   * One map (or index) function over one document (frozen, shared; `length` is its JSON text's);
   * returns its emits as JSON text. Past the emit limit the answer is fatal, like the engine
   * running out of memory (PROTOCOL.md §3.4), even if the function caught the limit's error.
   */
  function mapDoc(fun: any, doc: any, length: number): string {
    startCall(doc, length);
    try {
      fun(doc);
    } catch (err) {
      results = [];
      if (!overLimit) {
        const abort = rt.viewError(err, doc);
        if (abort !== undefined) return abort;
      }
    }
    if (overLimit) {
      currentDoc = undefined;
      const id = doc && typeof doc === "object" ? " with doc._id " + rt.errstr(doc._id) : "";
      const reason =
        "map function emitted more than " +
        EMIT_LIMIT_BYTES / 1048576 +
        " MiB for one document" +
        id +
        " (the query server's emit limit)";
      return rt.FATAL + stringify(["error", "InternalError", reason]);
    }
    const out = results;
    results = [];
    currentDoc = undefined;
    return serialise(out, doc);
  }

  /** One reduce function over the rows of the request line; returns its result as JSON text. */
  function reduce(fun: any, lineText: string, rereduce: boolean): string {
    const kvs = rt.parse(lineText)[2];
    let keys: any = null;
    let values: any = kvs;
    if (!rereduce) {
      keys = new Array(kvs.length);
      values = new Array(kvs.length);
      for (let i = 0; i < kvs.length; i++) {
        keys[i] = kvs[i][0];
        values[i] = kvs[i][1];
      }
    }
    let reduction: any;
    try {
      reduction = fun(keys, values, rereduce);
    } catch (err) {
      const abort = rt.viewError(err, undefined);
      if (abort !== undefined) return abort;
      reduction = null;
    }
    const text = stringify(reduction);
    return text === undefined ? "null" : text;
  }

  rt.mapDoc = mapDoc;
  rt.reduce = reduce;
  rt.emitters = { emit, emitFlag, dreyfusIndex, nouveauIndex };
}
