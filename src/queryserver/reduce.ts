import { checked, errorReply } from "./abort.js";
import { compiledSandbox } from "./compiled-sandbox.js";
import type { ResetConfig } from "./protocol.js";
import type { Sandbox, SandboxServices } from "./sandbox/sandbox.js";

/** CouchDB ≤3.5.0 sends no threshold/ratio; its server JS used these fixed values. */
const LEGACY_THRESHOLD = 4096;
const LEGACY_RATIO = 2;

/**
 * reduce / rereduce (PROTOCOL.md §3.5–3.7). Unlike the reference, which compiles every source
 * afresh on every call, compiled reduce functions are cached by source text for the life of
 * the process (CouchDB sends the same few sources over and over, each after a `reset`). The
 * observable difference: top-level state a reduce source creates persists between calls.
 */
export class Reducers {
  private readonly cache = new Map<string, Sandbox>();

  constructor(private readonly services: SandboxServices) {}

  /** `command` is the parsed line; `line` its text (the sandboxes parse their own copy). */
  run(command: unknown[], line: string, rereduce: boolean, config: ResetConfig): string {
    const sources = command[1];
    if (!Array.isArray(sources) || !Array.isArray(command[2])) {
      throw errorReply("query_protocol_error", `${String(command[0])} expects a list of functions and a list of values`);
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
    if (key !== undefined) this.cache.set(key, sandbox);
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


