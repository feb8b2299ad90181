/**
 * Sandbox runtime, part 5: changes filters, `views` filters and validate_doc_update
 * (PROTOCOL.md §4.7, §4.8), ported from filter.js and validate.js. Exceptions escape to the
 * top-level handler like in the reference. Runs inside the sandbox (see core.ts for the rules).
 */
export function installChecks(rt: any): void {
  function filters(fun: any, ddoc: any, args: any[]): string {
    const results: boolean[] = [];
    const docs = args[0];
    const req = args[1];
    for (let i = 0; i < docs.length; i++) results.push((fun.apply(ddoc, [docs[i], req]) && true) || false);
    return rt.stringify([true, results]);
  }

  function views(fun: any, _ddoc: any, args: any[]): string {
    const results: boolean[] = [];
    const docs = args[0];
    for (let i = 0; i < docs.length; i++) {
      rt.emitted = false;
      fun(docs[i]);
      results.push((rt.emitted && true) || false);
    }
    return rt.stringify([true, results]);
  }

  function validate(fun: any, ddoc: any, args: any[]): string {
    try {
      fun.apply(ddoc, args);
      return "1";
    } catch (error: any) {
      if (error.name && error.stack) throw error;
      const text = rt.stringify(error);
      return text === undefined ? "null" : text;
    }
  }

  rt.checks = { filters, views, validate };
}
