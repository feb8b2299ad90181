/**
 * The unsandboxed reference: the least a JavaScript view server in Node must do — parse the
 * line, compile each function with `new Function`, call it with `emit`, stringify — with no
 * sandbox, no frozen documents, no timeout and no error policy beyond "log and skip". It is
 * NOT a query server to run in production (user code sees the whole Node process); it exists
 * so that `qs-bench --server bare="node dist/bench/qs/bare-query-server.js"` shows what our
 * sandboxed server costs over plain Node, next to the noop floor. Views only (map + reduce).
 * Standalone, node builtins only, synchronous I/O like the real servers.
 */
import { readSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

type MapFunction = (doc: unknown) => void;
type ReduceFunction = (keys: unknown[] | null, values: unknown[], rereduce: boolean) => unknown;

let emitted: unknown[][] = [];
const emit = (key: unknown, value: unknown): number => emitted.push([key, value]);
const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
const log = (message: unknown): void =>
  writeLine(JSON.stringify(["log", typeof message === "string" ? message : JSON.stringify(message)]));

/** `function (doc) {...}` as CouchDB sends it, turned into a callable with the helpers in scope. */
function compile<T>(source: string): T {
  return new Function("emit", "sum", "log", `return (${source.trim().replace(/;\s*$/, "")});`)(emit, sum, log) as T;
}

let maps: MapFunction[] = [];
const reducers = new Map<string, ReduceFunction>();

function answer(command: unknown[]): unknown {
  switch (command[0]) {
    case "reset":
      maps = [];
      return true;
    case "add_fun":
      maps.push(compile<MapFunction>(command[1] as string));
      return true;
    case "map_doc":
      return maps.map((fun) => {
        emitted = [];
        try {
          fun(command[1]);
        } catch (error) {
          log(`function raised exception ${String(error)}`);
          emitted = [];
        }
        return emitted;
      });
    case "reduce":
    case "rereduce": {
      const rows = command[2] as unknown[];
      const rereduce = command[0] === "rereduce";
      const keys = rereduce ? null : rows.map((row) => (row as unknown[])[0]);
      const values = rereduce ? rows : rows.map((row) => (row as unknown[])[1]);
      const results = (command[1] as string[]).map((source) => {
        let fun = reducers.get(source);
        if (!fun) reducers.set(source, (fun = compile<ReduceFunction>(source)));
        return fun(keys, values, rereduce) ?? null;
      });
      return [true, results];
    }
    case "add_lib":
    case "ddoc":
      return true;
    default:
      return ["error", "unknown_command", `unknown command '${String(command[0])}'`];
  }
}

function writeLine(text: string): void {
  const bytes = Buffer.from(`${text}\n`, "utf8");
  for (let written = 0; written < bytes.length;) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    }
  }
}

function readChunk(buffer: Buffer): number {
  for (;;) {
    try {
      return readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EOF") return 0;
      if (code !== "EAGAIN") throw error;
    }
  }
}

/** Lines from stdin until EOF; a line longer than one read is joined from its pieces. */
function serve(): void {
  const buffer = Buffer.alloc(1 << 16);
  // Keeps a UTF-8 sequence split between two reads whole.
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for (let length = readChunk(buffer); length > 0; length = readChunk(buffer)) {
    const lines = (pending + decoder.write(buffer.subarray(0, length))).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line) writeLine(JSON.stringify(answer(JSON.parse(line) as unknown[])));
  }
}

serve();
