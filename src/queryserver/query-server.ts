import { Abort, errorReply } from "./abort.js";
import { DesignDocs } from "./design-docs.js";
import { type LinePort, OutputClosed } from "./line-port.js";
import type { CommandName, ResetConfig } from "./protocol.js";
import { Reducers } from "./reduce.js";
import { MimeRegistry } from "./sandbox/mime-registry.js";
import type { SandboxServices } from "./sandbox/sandbox.js";
import { DEFAULT_TIMEOUT_MS, type TimeGuard } from "./sandbox/watchdog.js";
import { ViewFunctions } from "./view-functions.js";

const MAP_DOC_PREFIX = '["map_doc",';

/**
 * The dispatcher: one protocol line in, its reply lines out through the port (log lines first,
 * then exactly one reply). Pure apart from the port — no stdio, no process exit — so every
 * command can be tested in-process; the list protocol is the only command that also reads.
 */
export class QueryServer {
  private config: ResetConfig = {};
  private readonly views: ViewFunctions;
  private readonly reducers: Reducers;
  private readonly designDocs: DesignDocs;
  private port: LinePort | undefined;
  /** The dispatch table (PROTOCOL.md §3): command → the module that handles it. */
  private readonly commands: Record<CommandName, (command: unknown[], line: string) => string>;

  constructor(private readonly guard: TimeGuard) {
    const services: SandboxServices = {
      send: (line) => this.activePort().send(line),
      receive: () => this.activePort().receive(),
      docText: () => this.views.canonicalDocText(),
      mimes: new MimeRegistry(),
      guard,
    };
    this.views = new ViewFunctions(services);
    this.reducers = new Reducers(services);
    this.designDocs = new DesignDocs(services);
    const mapParsed = (command: unknown[]) => this.views.mapParsed(command[1]);
    const reduce = (command: unknown[], line: string) =>
      this.reducers.run(command, line, command[0] === "rereduce", this.config);
    this.commands = {
      reset: (command) => this.reset(command[1]),
      add_lib: (command) => {
        this.views.addLib(command[1]);
        return "true";
      },
      add_fun: (command) => {
        this.views.addFun(command[1], command[2]);
        return "true";
      },
      map_doc: mapParsed,
      index_doc: mapParsed,
      nouveau_index_doc: mapParsed,
      reduce,
      rereduce: reduce,
      ddoc: (command, line) => {
        if (command[1] !== "new") return this.designDocs.call(command, line);
        this.designDocs.teach(command[2], command[3]);
        return "true";
      },
    };
  }

  /**
   * Handles one line; returns the exit status when the process must end, else undefined.
   * A failure that is not the command's own (a bug in the server, a closed or broken output)
   * is thrown to the caller, after a `query_server_error` reply when the output still works:
   * the caller reports it and ends the process (exit 255, so CouchDB restarts it clean).
   */
  handle(line: string, port: LinePort): number | undefined {
    this.port = port;
    try {
      port.send(this.reply(line));
      return undefined;
    } catch (error) {
      if (!(error instanceof Abort)) {
        if (!(error instanceof OutputClosed))
          port.send(JSON.stringify(["error", "query_server_error", String((error as Error)?.message ?? error)]));
        throw error;
      }
      if (error.line !== null) port.send(error.line);
      return error.exitCode ?? undefined;
    } finally {
      this.port = undefined;
    }
  }

  private reply(line: string): string {
    // Hot path of view builds: hand the document text to the sandboxes without parsing it here.
    if (line.startsWith(MAP_DOC_PREFIX) && line.endsWith("]") && this.views.count > 0) {
      const reply = this.views.mapDoc(line.slice(MAP_DOC_PREFIX.length, -1));
      if (reply !== undefined) return reply;
    }
    const command = parseCommand(line);
    const name = command[0];
    // Includes list_row/list_end outside a list. The reference exits ("hope the restarted version is better").
    if (typeof name !== "string" || !Object.hasOwn(this.commands, name))
      throw errorReply("unknown_command", `unknown command '${String(name)}'`, true);
    return this.commands[name as CommandName](command, line);
  }

  private reset(config: unknown): string {
    this.config = typeof config === "object" && config !== null ? (config as ResetConfig) : {};
    this.views.reset();
    // No `timeout` in the config (`["reset"]`, `["reset", {}]`) means CouchDB's default, not the last one sent.
    const timeout = this.config.timeout;
    this.guard.setLimitMs(typeof timeout === "number" && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS);
    return "true";
  }

  private activePort(): LinePort {
    if (!this.port) throw new Error("no command in progress");
    return this.port;
  }
}

/** A line that is not JSON cannot be answered in sync with CouchDB: error, then exit. */
function parseCommand(line: string): unknown[] {
  let command: unknown;
  try {
    command = JSON.parse(line);
  } catch (error) {
    throw errorReply("query_protocol_error", `invalid JSON line: ${(error as Error).message}`, true);
  }
  if (!Array.isArray(command)) throw errorReply("query_protocol_error", "a command must be a JSON array");
  return command;
}
