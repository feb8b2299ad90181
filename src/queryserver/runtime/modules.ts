/**
 * Sandbox runtime, part 2: CommonJS `require` over a design document (PROTOCOL.md §8.1), a port
 * of the reference's resolveModule. Runs inside the sandbox (see core.ts for the rules).
 * Module sources are compiled by the host (`host.compileModule`), which returns a function
 * created in this context, or a string describing the compile error.
 */
export function installModules(rt: any, host: any): void {
  const stringify = rt.stringify;
  const hostCompileModule = host.compileModule;

  function invalidPath(reason: string): any[] {
    return ["error", "invalid_require_path", reason];
  }

  function resolveModule(names: string[], mod: any, root?: any): any {
    if (names.length == 0) {
      if (typeof mod.current != "string") {
        throw invalidPath("Must require a JavaScript string, not: " + typeof mod.current);
      }
      return { current: mod.current, parent: mod.parent, id: mod.id, exports: {} };
    }
    const n = names.shift() as string;
    if (n == "..") {
      if (!(mod.parent && mod.parent.parent)) {
        throw invalidPath("Object has no parent " + stringify(mod.current));
      }
      return resolveModule(names, {
        id: mod.id.slice(0, mod.id.lastIndexOf("/")),
        parent: mod.parent.parent,
        current: mod.parent.current,
      });
    } else if (n == ".") {
      if (!mod.parent) throw invalidPath("Object has no parent " + stringify(mod.current));
      return resolveModule(names, { parent: mod.parent, current: mod.current, id: mod.id });
    } else if (root) {
      mod = { current: root };
    }
    if (mod.current[n] === undefined) {
      throw invalidPath('Object has no property "' + n + '". ' + stringify(mod.current));
    }
    return resolveModule(names, { current: mod.current[n], parent: mod, id: mod.id ? mod.id + "/" + n : n });
  }

  /** Builds the `require` for one root object (a design doc, or {views: {lib}} for maps). */
  rt.makeRequire = function makeRequire(root: any): (name: string) => any {
    const cache: any = {};
    function require(name: string, module?: any): any {
      module = module || {};
      const newModule = resolveModule(name.split("/"), module.parent, root);
      if (!Object.prototype.hasOwnProperty.call(cache, newModule.id)) {
        // Placeholder first, so that a require cycle returns {} instead of recursing forever.
        cache[newModule.id] = {};
        try {
          const func = rt.callHost(hostCompileModule, newModule.current, newModule.id);
          if (typeof func !== "function") throw func;
          func.apply(globalThis, [newModule, newModule.exports, (n: string) => require(n, newModule)]);
        } catch (e) {
          throw ["error", "compilation_error", "Module require('" + name + "') raised error " + rt.errstr(e)];
        }
        cache[newModule.id] = newModule.exports;
      }
      return cache[newModule.id];
    }
    return (name: string) => require(name);
  };
}
