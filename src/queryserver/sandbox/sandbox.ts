import vm from "node:vm";
import { CompileError, compileFunctionSource, usesDynamicImport } from "./function-source.js";
import { isolatedContext } from "./isolated-context.js";
import type { MimeRegistry } from "./mime-registry.js";
import { runtimeSource } from "./runtime-source.js";
import { stripTypes } from "./ts-strip.js";
import type { TimeGuard } from "./watchdog.js";

/** What a sandbox needs from the server; every callback takes and returns primitives. */
export interface SandboxServices {
  /** Writes one protocol line (log lines, list start/chunks). */
  send(line: string): void;
  /** Blocks for the next line from CouchDB (getRow); null at end of input. */
  receive(): string | null;
  /** The current map_doc document's JSON text if it may be reused verbatim, else null. */
  docText(): string | null;
  mimes: MimeRegistry;
  guard: TimeGuard;
}

/** See ../runtime/entry.ts for the modes. */
export type SandboxMode = "map" | "nouveau" | "reduce" | "ddoc" | "views";

interface RuntimeApi {
  setMain(fun: unknown): void;
  map(doc: unknown, docLength: number): string;
  reduce(lineText: string, rereduce: boolean): string;
  ddoc(kind: string, lineText: string): string;
}

let runtimeScript: vm.Script | undefined;

/**
 * What a cached sandbox costs, for the caches' byte limits: a V8 context with the runtime
 * installed (~190 KB measured: 3,000 reduce sandboxes took 570 MB) plus its source, held
 * as text and as compiled code.
 */
export function sandboxBytes(source: string): number {
  return 192 * 1024 + 4 * source.length;
}

/**
 * One user function in its own isolated V8 context. The runtime is installed by a script
 * evaluated inside it, and the only values that cross back are strings checked with typeof.
 */
export class Sandbox {
  private readonly context: vm.Context;
  private readonly api: RuntimeApi;

  constructor(
    mode: SandboxMode,
    rootText: string | null,
    private readonly services: SandboxServices,
  ) {
    this.context = isolatedContext();
    runtimeScript ??= new vm.Script(runtimeSource, { filename: "couchbench-query-server-runtime" });
    const install = runtimeScript.runInContext(this.context) as (
      host: object,
      mode: string,
      root: string | null,
    ) => RuntimeApi;
    const api = install(this.hostCallbacks(), mode, rootText);
    // Read once now, before any user code could tamper with the (frozen) api object.
    this.api = { setMain: api.setMain, map: api.map, reduce: api.reduce, ddoc: api.ddoc };
  }

  /** Compiles the function source in this context; throws CompileError with the reference message. */
  compile(source: string, filename: string): void {
    const fun = this.services.guard.run(() => {
      try {
        return compileFunctionSource(source, (code) => this.evaluate(code, filename));
      } catch (error) {
        if (error instanceof CompileError) throw error;
        throw new CompileError(`${this.describe(error)} (${source})`);
      }
    });
    if (typeof fun !== "function") {
      throw new CompileError(`Expression does not eval to a function. (${source})`);
    }
    this.api.setMain(fun);
  }

  /** `doc` is a frozen object of the document realm (see doc-realm.ts), `docLength` its JSON text's length. */
  map(doc: unknown, docLength: number): string {
    return this.call(() => this.api.map(doc, docLength));
  }

  reduce(lineText: string, rereduce: boolean): string {
    return this.call(() => this.api.reduce(lineText, rereduce));
  }

  ddoc(kind: string, lineText: string): string {
    return this.call(() => this.api.ddoc(kind, lineText));
  }

  private call(run: () => string): string {
    const reply = this.services.guard.run(run);
    if (typeof reply !== "string") throw new TypeError("sandbox runtime returned a non-string");
    return reply;
  }

  private evaluate(code: string, filename: string): unknown {
    return new vm.Script(code, { filename }).runInContext(this.context);
  }

  /** Text of a value thrown by user code, computed inside the sandbox (it may run user getters). */
  private describe(error: unknown): string {
    const describe = vm.runInContext(
      "(function (e) { try { return String(e); } catch { return 'unprintable error'; } })",
      this.context,
    ) as (e: unknown) => string;
    const text = describe(error);
    return typeof text === "string" ? text : "unprintable error";
  }

  /**
   * Host functions handed to the runtime (kept in its closure, never exposed to user code).
   * They must never throw: a host-realm exception would give user code a host object.
   */
  private hostCallbacks(): object {
    const { services } = this;
    return {
      write: (line: unknown): void => {
        try {
          if (typeof line === "string") services.send(line);
        } catch {
          // stdout is gone; the server notices on its next write and exits.
        }
      },
      read: (): string | null => {
        try {
          return services.guard.pause(() => services.receive());
        } catch {
          return null;
        }
      },
      registerType: (key: unknown, mimesJson: unknown): void => {
        if (typeof key !== "string" || typeof mimesJson !== "string") return;
        try {
          const mimes = JSON.parse(mimesJson) as unknown;
          if (Array.isArray(mimes))
            services.mimes.register(
              key,
              mimes.filter((m): m is string => typeof m === "string"),
            );
        } catch {
          // not a list of strings: nothing to register
        }
      },
      mimeTable: (): string => services.mimes.toJSON(),
      docText: (): string | null => services.docText(),
      compileModule: (source: unknown, id: unknown): unknown => {
        if (typeof source !== "string" || typeof id !== "string") return "invalid module";
        try {
          if (usesDynamicImport(source)) return "SyntaxError: import() is not available in the query server";
          const wrapped = `(function (module, exports, require) { ${source}\n });`;
          try {
            return this.evaluate(wrapped, id);
          } catch (error) {
            const stripped = error instanceof SyntaxError ? stripTypes(wrapped) : undefined;
            if (stripped === undefined) throw error;
            return this.evaluate(stripped, id);
          }
        } catch (error) {
          return error instanceof SyntaxError ? String(error) : this.describe(error);
        }
      },
    };
  }
}
