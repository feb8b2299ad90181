/**
 * Sandbox runtime, part 1: intrinsics, logging, error classification, freezing, shared globals.
 *
 * Every `install*` function in this folder is evaluated INSIDE a user function's V8 context
 * (see ../sandbox/runtime-source.ts): it is turned into source text with Function#toString, so
 * it must not reference anything from module scope — only its parameters and the context's own
 * built-ins. Values cross to the host only as strings (or via the `host` callbacks, which take
 * and return primitives), so no host-realm object is ever reachable from user code.
 *
 * Reply convention towards the host: a normal reply line is returned as-is; a reply that ends
 * the command abnormally starts with one marker character: "\u0000" = error reply (process
 * continues), "\u0001" = error reply then exit (fatal), "\u0002" = stdin closed, exit silently.
 */
export function installCore(rt: any, host: any): void {
  const g: any = globalThis;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const freeze = Object.freeze;
  const isFrozen = Object.isFrozen;
  const ownKeys = Reflect.ownKeys;
  const objectToString = Object.prototype.toString;
  const StringCtor = String;
  const RangeErrorCtor = RangeError;
  const hostWrite = host.write;

  // A host callback may throw (e.g. a stack overflow right at its entry); the host-realm error
  // must never reach user code, so it is swallowed here and replaced by one of ours.
  function callHost(fn: any, a?: any, b?: any): any {
    try {
      return fn(a, b);
    } catch {
      throw new RangeErrorCtor("query server host call failed");
    }
  }

  function errstr(e: any): string {
    try {
      return StringCtor(e);
    } catch {
      return objectToString.call(e);
    }
  }

  // 3.4+: Error-like values are serialised as {error, message} instead of {}.
  function errorToJson(e: any): any {
    if (typeof e === "object" && e != null && "stack" in e && "name" in e && "message" in e) {
      return { error: e.name, message: e.message };
    }
    return e;
  }

  function send(line: string): void {
    callHost(hostWrite, line);
  }

  function log(message: any): void {
    if (typeof message != "string") message = stringify(errorToJson(message));
    send(stringify(["log", StringCtor(message)]));
  }

  // For the helpers and JSON (documents are frozen in the document realm, see doc-realm.ts).
  function deepFreeze(root: any): void {
    const stack: any[] = [root];
    while (stack.length > 0) {
      const object = stack[stack.length - 1];
      stack.length -= 1;
      if (isFrozen(object)) continue;
      freeze(object);
      const keys = ownKeys(object);
      for (let i = 0; i < keys.length; i++) {
        const value = object[keys[i]];
        if ((value && typeof value === "object") || typeof value === "function") stack[stack.length] = value;
      }
    }
  }

  function isStackOverflow(e: any): boolean {
    return e instanceof RangeErrorCtor && e.message === "Maximum call stack size exceeded";
  }

  const ERROR = "\u0000";
  const FATAL = "\u0001";

  /** PROTOCOL.md §10: what the reference answers when an exception escapes a command. */
  function topLevelError(e: any): string {
    try {
      if (e == null) return ERROR + stringify(["error", "TypeError", {}]);
      if (e[0] == "fatal") {
        const copy = Array.prototype.slice.call(e);
        copy[0] = "error";
        return FATAL + stringify(copy);
      }
      if (e[0] == "error") return ERROR + stringify(e);
      if (e.name == "InternalError" || isStackOverflow(e)) {
        return FATAL + stringify(["error", "InternalError", e.message]);
      }
      if (e.error && e.reason) return ERROR + stringify(["error", e.error, e.reason]);
      if (e.name) return ERROR + stringify(["error", e.name, e]);
      return ERROR + stringify(["error", "unnamed_error", errstr(e)]);
    } catch (inner) {
      if (isStackOverflow(inner)) return FATAL + stringify(["error", "InternalError", "too much recursion"]);
      return ERROR + stringify(["error", "unnamed_error", errstr(inner)]);
    }
  }

  /**
   * Map/reduce exception policy (§3.4): returns a marker reply that aborts the command, or
   * undefined after logging when the function's contribution is simply skipped.
   */
  function viewError(err: any, doc: any): string | undefined {
    if (err == "fatal_error") {
      return ERROR + stringify(["error", "map_runtime_error", "function raised 'fatal_error'"]);
    }
    if (err == null) return topLevelError(err);
    if (err[0] == "fatal") return topLevelError(err);
    if (err.name == "InternalError" || isStackOverflow(err)) {
      return FATAL + stringify(["error", "InternalError", err.message]);
    }
    let message = "function raised exception " + errstr(err);
    if (doc) message += " with doc._id " + doc._id;
    log(message);
    return undefined;
  }

  function sum(values: any): any {
    let rv = 0;
    for (const i in values) rv += values[i];
    return rv;
  }

  function isArray(value: any): boolean {
    return objectToString.call(value) === "[object Array]";
  }

  function consoleLog(...args: any[]): void {
    if (args.length === 1) return log(args[0]);
    let text = "";
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      text += (i ? " " : "") + (typeof a === "string" ? a : stringify(errorToJson(a)));
    }
    log(text);
  }
  const consoleObject = freeze({
    log: consoleLog,
    info: consoleLog,
    warn: consoleLog,
    error: consoleLog,
    debug: consoleLog,
  });

  Object.assign(rt, { parse, stringify, freeze, callHost, send, log, errstr, errorToJson, topLevelError, viewError });
  Object.assign(rt, { ERROR, FATAL, EOF: "\u0002" });
  rt.globals = { sum, log, toJSON: stringify, isArray, console: consoleObject };
  // §8: JSON is frozen since 3.5.0, like the reference's other helpers.
  deepFreeze(g.JSON);
}
