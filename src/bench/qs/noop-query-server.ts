/**
 * The floor: a query server that does the least any query server can do, so that
 * `qs-bench` and `couchbench run` can show how much of a build is the protocol itself
 * (pipes, JSON framing, CouchDB's own work) rather than running JavaScript.
 *
 * It answers `true` to reset/add_fun/add_lib/ddoc new, one empty list per added function
 * to map_doc (it emits nothing) and `[true,[null,...]]` to reduce/rereduce. It looks only at
 * the first bytes of a line (the command name), except for `reduce`, whose reply needs the
 * number of functions. Standalone on purpose: node builtins only, so CouchDB can run it
 * directly: COUCHDB_QUERY_SERVER_NOOP="node /path/to/dist/bench/qs/noop-query-server.js".
 * Synchronous reads and writes: no event loop between a request and its answer.
 */
import { readSync, writeSync } from "node:fs";

const STDIN = 0;
const STDOUT = 1;

/** Functions added since the last reset: map_doc answers one (empty) list per function. */
let functionCount = 0;

function answer(line: Buffer): string {
  // Enough bytes to tell every command apart: `["ddoc","new"` is the longest prefix tested.
  const head = line.toString("latin1", 0, 16);
  if (head.startsWith('["map_doc"')) return `[${"[],".repeat(functionCount).slice(0, -1)}]`;
  if (head.startsWith('["add_fun"')) {
    functionCount += 1;
    return "true";
  }
  if (head.startsWith('["reset"')) {
    functionCount = 0;
    return "true";
  }
  if (head.startsWith('["rereduce"')) return "[true,[null]]"; // CouchDB sends one function per rereduce.
  if (head.startsWith('["reduce"')) {
    const sources = (JSON.parse(line.toString("utf8")) as [string, unknown[]])[1];
    return `[true,[${sources.map(() => "null").join(",")}]]`;
  }
  if (head.startsWith('["add_lib"') || head.startsWith('["ddoc","new"')) return "true";
  const command = head.match(/^\["([^"]*)/)?.[1] ?? head;
  return JSON.stringify(["error", "unknown_command", `the noop query server only serves views, not '${command}'`]);
}

function writeLine(text: string): void {
  const bytes = Buffer.from(`${text}\n`, "utf8");
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(STDOUT, bytes, written);
    } catch (error) {
      // A non-blocking pipe that is full: wait for CouchDB to read, then go on.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    }
  }
}

function readChunk(buffer: Buffer): number {
  for (;;) {
    try {
      return readSync(STDIN, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EOF") return 0;
      if (code !== "EAGAIN") throw error;
    }
  }
}

function serve(): void {
  const buffer = Buffer.alloc(1 << 16);
  // Pieces of a line longer than what one read returned (large documents).
  let pending: Buffer[] = [];
  for (;;) {
    const length = readChunk(buffer);
    if (length === 0) return; // EOF: CouchDB closed the port.
    let start = 0;
    for (
      let newline = buffer.indexOf(10, start);
      newline !== -1 && newline < length;
      newline = buffer.indexOf(10, start)
    ) {
      const piece = buffer.subarray(start, newline);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      if (line.length > 0) writeLine(answer(line));
      start = newline + 1;
    }
    // Copied because the read buffer is reused.
    if (start < length) pending.push(Buffer.from(buffer.subarray(start, length)));
  }
}

serve();
