/**
 * The document realm: a context of its own where map_doc documents are parsed and deep-frozen
 * once, then shared by all map functions (PROTOCOL.md §3.4). No user code runs here, and every
 * object reachable from its global is frozen first, so a map function can change neither the
 * document nor anything its prototype chain leads to, and so cannot affect the next function.
 * (Like in couchjs, where documents come from the main global, `doc instanceof Array` is false
 * in a map function; isArray() exists for that.) Stringified and run inside that context: it
 * must not reference module scope.
 */
export function installDocRealm(): any {
  const freeze = Object.freeze;
  const isFrozen = Object.isFrozen;
  const keysOf = Object.keys;
  const isArray = Array.isArray;
  const parse = JSON.parse;

  // Freeze the realm's intrinsics (and everything reachable from them) before any document
  // exists. The global object itself cannot be frozen in a vm context, but it is not reachable
  // from the intrinsics either (string code generation is off), so it is only walked once.
  const pending: any[] = [];
  function pushReachable(object: any): void {
    const proto = Object.getPrototypeOf(object);
    if (proto) pending.push(proto);
    const descriptors: any = Object.getOwnPropertyDescriptors(object);
    for (const key of Reflect.ownKeys(descriptors)) {
      const d = descriptors[key];
      for (const value of [d.value, d.get, d.set]) {
        if (value !== globalThis && ((value && typeof value === "object") || typeof value === "function"))
          pending.push(value);
      }
    }
  }
  pushReachable(globalThis);
  while (pending.length > 0) {
    const object = pending.pop();
    if (isFrozen(object)) continue;
    freeze(object);
    pushReachable(object);
  }

  let keyCount = 0;
  // JSON trees have no cycles, no sharing and no accessors: a plain walk, counting object keys
  // (the host compares the count with the text to rule out duplicate keys).
  function deepFreeze(root: any): void {
    const stack: any[] = [root];
    while (stack.length > 0) {
      const value = stack[stack.length - 1];
      stack.length -= 1;
      freeze(value);
      if (isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item !== null && typeof item === "object") stack[stack.length] = item;
        }
      } else {
        const keys = keysOf(value);
        keyCount += keys.length;
        for (let i = 0; i < keys.length; i++) {
          const item = value[keys[i]];
          if (item !== null && typeof item === "object") stack[stack.length] = item;
        }
      }
    }
  }

  return freeze({
    /** The frozen document, or undefined when the text is not JSON. */
    parse(text: string): any {
      let doc: any;
      try {
        doc = parse(text);
      } catch {
        return undefined;
      }
      keyCount = 0;
      if (doc !== null && typeof doc === "object") deepFreeze(doc);
      return doc;
    },
    /** Object keys in the last parsed document. */
    keyCount(): number {
      return keyCount;
    },
  });
}
