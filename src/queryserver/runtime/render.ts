/**
 * Sandbox runtime, part 4: shows, updates, lists (with the blocking getRow handshake) and
 * rewrites — a port of the reference's render.js (PROTOCOL.md §4.5, §4.6, §4.9, §6). Runs inside
 * the sandbox (see core.ts for the rules). Intermediate list lines go out through rt.send; the
 * final reply is returned.
 */
export function installRender(rt: any, host: any): void {
  const hostRead = host.read;
  const stringify = rt.stringify;
  let newHeader = false;
  let chunks: any[] = [];
  let startResp: any = {};
  let gotRow = false;
  let lastRow = false;
  // Set when stdin closed inside getRow(): the command ends without a reply, whatever user code does.
  let sawEof = false;
  const eofSignal = rt.freeze({ error: "eof", reason: "stdin closed" });

  function start(resp: any): void {
    startResp = resp || {};
    newHeader = true;
  }
  function send(chunk: any): void {
    chunks.push(chunk.toString());
  }
  function applyContentType(resp: any, contentType: any): any {
    resp["headers"] = resp["headers"] || {};
    if (contentType) resp["headers"]["Content-Type"] = resp["headers"]["Content-Type"] || contentType;
    return resp;
  }
  function sendStart(): void {
    startResp = applyContentType(startResp || {}, rt.responseContentType());
    rt.send(stringify(["start", chunks, startResp]));
    chunks = [];
    startResp = {};
    newHeader = false;
  }
  function chunksLine(label: string): string {
    const line = newHeader ? stringify([label, chunks, startResp]) : stringify([label, chunks]);
    newHeader = false;
    chunks = [];
    return line;
  }
  function getRow(): any {
    if (lastRow) return null;
    if (!gotRow) {
      gotRow = true;
      sendStart();
    } else {
      rt.send(chunksLine("chunks"));
    }
    const line = rt.callHost(hostRead);
    if (typeof line !== "string") {
      sawEof = true;
      lastRow = true;
      throw eofSignal;
    }
    const json = rt.parse(line);
    if (json[0] == "list_end") {
      lastRow = true;
      return null;
    }
    if (json[0] != "list_row") throw ["fatal", "list_error", "not a row '" + json[0] + "'"];
    return json[1];
  }
  function resetList(): void {
    gotRow = false;
    lastRow = false;
    chunks = [];
    startResp = {};
    newHeader = false;
  }
  function maybeWrapResponse(resp: any): any {
    return typeof resp == "string" ? { body: resp } : resp;
  }
  function typeOf(value: any): string {
    let s: string = typeof value;
    if (s === "object") {
      if (value) {
        if (value instanceof Array) s = "array";
      } else {
        s = "null";
      }
    }
    return s;
  }
  function renderError(e: any, errType?: string): never {
    if ((e.error && e.reason) || e[0] == "error" || e[0] == "fatal") throw e;
    const logMessage = "function raised error: " + rt.errstr(e) + " \nstacktrace: " + e.stack;
    rt.log(logMessage);
    throw ["error", errType || "render_error", logMessage];
  }

  function show(fun: any, ddoc: any, args: any[]): string {
    try {
      resetList();
      rt.resetProvides();
      let resp = fun.apply(ddoc, args) || {};
      resp = maybeWrapResponse(resp);
      // list()-style API inside a show: start() headers are copied into headers (reference quirk)
      if (chunks.length && chunks.length > 0) {
        resp.headers = resp.headers || {};
        for (const header in startResp) resp.headers[header] = startResp[header];
        resp.body = chunks.join("") + (resp.body || "");
        resetList();
      }
      if (rt.providesUsed()) {
        let provided = rt.runProvides(args[1], ddoc) || {};
        provided = maybeWrapResponse(provided);
        resp.body = (resp.body || "") + chunks.join("");
        resp.body += provided.body || "";
        resp = applyContentType(resp, rt.responseContentType());
        resetList();
      }
      const type = typeOf(resp);
      if (type == "object" || type == "string") return stringify(["resp", maybeWrapResponse(resp)]);
      throw ["error", "render_error", "undefined response from show function"];
    } catch (e) {
      if (sawEof) throw e;
      if (args[0] === null && args[1].path.length > 5) throw ["error", "not_found", "document not found"];
      return renderError(e);
    }
  }

  function update(fun: any, ddoc: any, args: any[]): string {
    try {
      if (args[1].method == "GET") throw ["error", "method_not_allowed", "Update functions do not allow GET"];
      const result = fun.apply(ddoc, args);
      const doc = result[0];
      const resp = result[1];
      const type = typeOf(resp);
      if (type == "object" || type == "string") return stringify(["up", doc, maybeWrapResponse(resp)]);
      throw ["error", "render_error", "undefined response from update function"];
    } catch (e) {
      if (sawEof) throw e;
      return renderError(e);
    }
  }

  function list(fun: any, ddoc: any, args: any[]): string {
    try {
      rt.resetProvides();
      resetList();
      let tail = fun.apply(ddoc, args);
      if (rt.providesUsed()) tail = rt.runProvides(args[1], ddoc);
      if (!gotRow) getRow();
      if (typeof tail != "undefined") chunks.push(tail);
      return chunksLine("end");
    } catch (e) {
      if (sawEof) throw e;
      return renderError(e);
    }
  }

  function rewrite(fun: any, ddoc: any, args: any[]): string {
    let result: any;
    try {
      result = fun.apply(ddoc, args);
    } catch (e) {
      if (sawEof) throw e;
      renderError(e, "rewrite_error");
    }
    if (!result) return stringify(["no_dispatch_rule"]);
    if (typeof result === "string") result = { path: result, method: args[0].method };
    return stringify(["ok", result]);
  }

  rt.sawEof = (): boolean => sawEof;
  rt.render = { show, update, list, rewrite };
  rt.globals.start = start;
  rt.globals.send = send;
  rt.globals.getRow = getRow;
}
