/**
 * Sandbox runtime, last part: installs the globals user code sees for this sandbox's mode and
 * returns the primitive-only entry points the host calls. Runs inside the sandbox (see core.ts).
 *
 * Modes: "map" (add_fun: emit + dreyfus index), "nouveau" (add_fun 3rd arg), "reduce" (no
 * require), "ddoc" (shows, lists, ...; `this` = design doc), "views" (changes `views` filter:
 * emit only sets a flag).
 */
export function installEntry(rt: any, mode: string, rootText: string | null): any {
  const g: any = globalThis;
  const globals = rt.globals;
  globals.emit = mode === "views" ? rt.emitters.emitFlag : rt.emitters.emit;
  if (mode === "map") globals.index = rt.emitters.dreyfusIndex;
  if (mode === "nouveau") globals.index = rt.emitters.nouveauIndex;
  // The require root: the design doc for ddoc functions, {views: {lib}} for map functions.
  const root = rootText === null ? null : rt.parse(rootText);
  if (mode !== "reduce") globals.require = rt.makeRequire(root);
  for (const name of Object.keys(globals)) {
    const value = globals[name];
    if (typeof value === "function") rt.freeze(value);
    Object.defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
  }
  let main: any = null;
  // The ddoc dispatch table (PROTOCOL.md §4): function kind → the runtime module's handler.
  // Its keys are DDOC_KINDS of protocol.ts; design-docs.test.ts calls every one of them.
  const ddocHandlers: any = {
    shows: rt.render.show,
    updates: rt.render.update,
    lists: rt.render.list,
    rewrites: rt.render.rewrite,
    filters: rt.checks.filters,
    views: rt.checks.views,
    validate_doc_update: rt.checks.validate,
  };

  function guarded(run: () => string): string {
    try {
      const reply = run();
      return rt.sawEof() ? rt.EOF : reply;
    } catch (e) {
      return rt.sawEof() ? rt.EOF : rt.topLevelError(e);
    }
  }

  return rt.freeze({
    setMain(fun: any): void {
      main = fun;
    },
    map(doc: any, docLength: number): string {
      return guarded(() => rt.mapDoc(main, doc, docLength));
    },
    reduce(lineText: string, rereduce: boolean): string {
      return guarded(() => rt.reduce(main, lineText, rereduce));
    },
    ddoc(kind: string, lineText: string): string {
      return guarded(() => ddocHandlers[kind](main, root, rt.parse(lineText)[3]));
    },
  });
}
