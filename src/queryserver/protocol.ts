/**
 * Message types of the CouchDB 3.x query-server line protocol (PROTOCOL.md). Import-free on
 * purpose: the one module of the query server that the rest of couchbench may import — qs-bench
 * (bench/qs/view-build-stream.ts) types the lines it sends with it.
 */

/** Configuration sent with `reset`; 3.5.1+ adds the two `reduce_limit_*` keys. */
export interface ResetConfig {
  reduce_limit?: boolean | "log";
  reduce_limit_threshold?: number;
  reduce_limit_ratio?: number;
  /** `os_process_timeout` of CouchDB in milliseconds. */
  timeout?: number;
}

/** A row of a view as reduce receives it: `[[key, docid], value]`. */
export type ViewRow = [[unknown, string], unknown];

export type ResetCommand = ["reset"] | ["reset", ResetConfig];
export type AddLibCommand = ["add_lib", Record<string, unknown>];
export type AddFunCommand = ["add_fun", string] | ["add_fun", string, string];
/** The optional 4th element (3.5.2+) names the view. */
export type ReduceCommand = ["reduce", string[], ViewRow[]] | ["reduce", string[], ViewRow[], string];
export type RereduceCommand = ["rereduce", string[], unknown[]] | ["rereduce", string[], unknown[], string];

/** The top-level commands (PROTOCOL.md §3): the query server's dispatch table has one entry each. */
export type CommandName =
  "reset" | "add_lib" | "add_fun" | "map_doc" | "index_doc" | "nouveau_index_doc" | "reduce" | "rereduce" | "ddoc";

/** Kinds of design-doc function a `["ddoc", id, [kind, …], args]` call reaches (PROTOCOL.md §4). */
export const DDOC_KINDS = ["shows", "lists", "updates", "filters", "views", "validate_doc_update", "rewrites"] as const;
