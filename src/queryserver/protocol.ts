/**
 * Message types of the CouchDB 3.x query-server line protocol (see ../../../shared/PROTOCOL.md).
 * Import-free on purpose: the benchmark harness imports these types to speak the protocol.
 */

/** Configuration sent with `reset`; 3.5.1+ adds the two `reduce_limit_*` keys. */
export interface ResetConfig {
  reduce_limit?: boolean | "log";
  reduce_limit_threshold?: number;
  reduce_limit_ratio?: number;
  /** `os_process_timeout` of CouchDB in milliseconds. */
  timeout?: number;
}

export type ResetCommand = ["reset"] | ["reset", ResetConfig];
export type AddLibCommand = ["add_lib", Record<string, unknown>];
export type AddFunCommand = ["add_fun", string] | ["add_fun", string, "nouveau" | string];
export type MapDocCommand = ["map_doc", Record<string, unknown>];
export type IndexDocCommand = ["index_doc" | "nouveau_index_doc", Record<string, unknown>];
/** Rows are `[[key, docid], value]`; the optional 4th element (3.5.2+) names the view. */
export type ReduceCommand =
  | ["reduce", string[], Array<[[unknown, string], unknown]>]
  | ["reduce", string[], Array<[[unknown, string], unknown]>, string];
export type RereduceCommand = ["rereduce", string[], unknown[]] | ["rereduce", string[], unknown[], string];
export type DdocNewCommand = ["ddoc", "new", string, Record<string, unknown>];
export type DdocKind = "shows" | "lists" | "updates" | "filters" | "views" | "validate_doc_update" | "rewrites";
export type DdocCallCommand = ["ddoc", string, [DdocKind, ...string[]], unknown[]];
export type ListRowCommand = ["list_row", Record<string, unknown>];
export type ListEndCommand = ["list_end"];

export type Command =
  | ResetCommand
  | AddLibCommand
  | AddFunCommand
  | MapDocCommand
  | IndexDocCommand
  | ReduceCommand
  | RereduceCommand
  | DdocNewCommand
  | DdocCallCommand
  | ListRowCommand
  | ListEndCommand;

/** A `[key, value]` pair emitted by a map function. */
export type Emit = [unknown, unknown];
/** One element per map function, in `add_fun` order. */
export type MapDocReply = Emit[][];
export type ReduceReply = [true, unknown[]];

export type LogLine = ["log", string];
/** CouchDB raises `{type, reason}`; the process is kept. */
export type ErrorLine = ["error", string, unknown];
/** CouchDB raises and stops the process. */
export type FatalLine = ["fatal", string, unknown];

/** §4.4: the only keys CouchDB accepts in a show/update/list response object. */
export interface ResponseObject {
  code?: number;
  headers?: Record<string, string>;
  body?: string;
  json?: unknown;
  base64?: string;
  stop?: boolean;
}

export type ShowReply = ["resp", ResponseObject];
export type UpdateReply = ["up", Record<string, unknown> | null, ResponseObject];
export type FilterReply = [true, boolean[]];
export type ListStartReply = ["start", string[], ResponseObject];
export type ListChunksReply = ["chunks", string[]] | ["chunks", string[], ResponseObject];
export type ListEndReply = ["end", string[]] | ["end", string[], ResponseObject];
export type RewriteReply = ["ok", Record<string, unknown>] | ["no_dispatch_rule"];
/** `1` accepts the write; a thrown `{forbidden}` / `{unauthorized}` object rejects it. */
export type ValidateReply = 1 | Record<string, unknown> | string;
