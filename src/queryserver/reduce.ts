import { checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import { LruCache } from "./lru-cache.js";
import { sandboxesReleased } from "./garbage.js";
import type { ResetConfig } from "./protocol.js";
import { type Sandbox, type SandboxServices, sandboxBytes } from "./sandbox/sandbox.js";

/** CouchDB ≤3.5.0 sends no threshold/ratio; its server JS used these fixed values. */
const LEGACY_THRESHOLD = 4096;
const LEGACY_RATIO = 2;

/**
 * Compiled reduce functions kept: CouchDB sends the same few sources over and over (one per
 * reduce view of the design documents this process serves), so a few dozen cover a build; an
 * unbounded cache grew by ~190 KB per distinct source (3,000 sources: 44 MB → 616 MB).
 */
const REDUCE_CACHE = { maxEntries: 32, maxBytes: 16 * 1024 * 1024 };

/**
 * reduce / rereduce (PROTOCOL.md §3.5–3.7). Unlike the reference, which compiles every source
 * afresh on every call, compiled reduce functions are cached by source text (CouchDB sends the
 * same few sources over and over, each after a `reset`), least recently used first out. The
 * observable difference: top-level state a reduce source creates persists between calls while
 * it stays cached.
 */
export class Reducers {
  private readonly cache = new LruCache<string, Sandbox>(REDUCE_CACHE, () => sandboxesReleased());

  constructor(private readonly services: SandboxServices) {}

  /** `command` is the parsed line; `line` its text (the sandboxes parse their own copy). */
  run(command: unknown[], line: string, rereduce: boolean, config: ResetConfig): string {
    const sources = command[1];
    if (!Array.isArray(sources) || !Array.isArray(command[2])) {
      throw errorReply(
        "query_protocol_error",
        `${String(command[0])} expects a list of functions and a list of values`,
      );
    }
    let codeSize = 0;
    const sandboxes = sources.map((source: unknown) => {
      if (typeof source === "string") codeSize += source.length;
      return this.sandboxFor(source);
    });
    let results = "[";
    for (let i = 0; i < sandboxes.length; i++) {
      results += (i ? "," : "") + checked(sandboxes[i].reduce(line, rereduce));
    }
    results += "]";
    const overflow = overflowMessage(results.length, line.length - codeSize, command[3], config);
    if (overflow !== undefined) {
      if (config.reduce_limit !== "log") throw errorReply("reduce_overflow_error", overflow);
      this.services.send(JSON.stringify(["log", `reduce_overflow_error: ${overflow}`]));
    }
    return `[true,${results}]`;
  }

  private sandboxFor(source: unknown): Sandbox {
    const key = typeof source === "string" ? source : undefined;
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached) return cached;
    const sandbox = compiledSandbox(source, "reduce", null, "reduce", this.services);
    if (key !== undefined) this.cache.set(key, sandbox, sandboxBytes(key));
    return sandbox;
  }
}

/**
 * §3.7. With the 3.5.1+ config keys: their threshold/ratio and a `context:` suffix; without
 * them (older CouchDB): the fixed 4096/2 of the server JS shipped with those versions.
 */
function overflowMessage(outputSize: number, inputSize: number, ctx: unknown, config: ResetConfig): string | undefined {
  if (!config.reduce_limit) return undefined;
  const modern = config.reduce_limit_threshold !== undefined || config.reduce_limit_ratio !== undefined;
  const threshold = config.reduce_limit_threshold ?? LEGACY_THRESHOLD;
  const ratio = config.reduce_limit_ratio ?? LEGACY_RATIO;
  if (!(outputSize > threshold && outputSize * ratio > inputSize)) return undefined;
  const message = `Reduce output must shrink more rapidly: input size: ${inputSize} output size: ${outputSize}`;
  return modern ? `${message} context: ${typeof ctx === "string" ? ctx : ""}` : message;
}
