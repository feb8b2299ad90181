/**
 * A small third-party query server, for the tests of `--query-server`: the view half of
 * CouchDB's protocol (reset, add_lib, add_fun, map_doc, reduce, rereduce) in plain Node,
 * JavaScript functions compiled in one `vm` context. It stands for "your own server":
 * nothing of couchbench's query server is used. Run: `node dist/test-support/probe-query-server.js`.
 */
import { createInterface } from "node:readline";
import { createContext, runInContext } from "node:vm";

type MapFunction = (doc: unknown) => void;
type ReduceFunction = (keys: unknown, values: unknown[], rereduce: boolean) => unknown;

let emitted: unknown[][] = [];
const context = createContext({
  emit: (key: unknown, value: unknown) => void emitted.push([key, value]),
  sum: (values: number[]) => values.reduce((total, value) => total + value, 0),
  log: (message: unknown) => process.stdout.write(`${JSON.stringify(["log", String(message)])}\n`),
  isArray: Array.isArray,
  toJSON: JSON.stringify,
});
const compile = <T>(source: string): T => runInContext(`(${source})`, context) as T;
let maps: MapFunction[] = [];

function answer(command: unknown[]): unknown {
  const [name, ...args] = command;
  switch (name) {
    case "reset":
      maps = [];
      return true;
    case "add_lib":
      return true;
    case "add_fun":
      maps.push(compile<MapFunction>(args[0] as string));
      return true;
    case "map_doc":
      return maps.map((map) => {
        emitted = [];
        try {
          map(args[0]);
        } catch {
          // CouchDB's servers skip a document whose map throws; so does this one.
          return [];
        }
        return emitted;
      });
    case "reduce": {
      const keyed = args[1] as Array<[unknown, unknown]>;
      const keys = keyed.map(([key]) => key);
      const values = keyed.map(([, value]) => value);
      return [true, (args[0] as string[]).map((source) => compile<ReduceFunction>(source)(keys, values, false))];
    }
    case "rereduce":
      return [
        true,
        (args[0] as string[]).map((source) => compile<ReduceFunction>(source)(null, args[1] as unknown[], true)),
      ];
    default:
      return ["error", "unknown_command", `probe server does not implement ${String(name)}`];
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  let reply: unknown;
  try {
    reply = answer(JSON.parse(line) as unknown[]);
  } catch (error) {
    reply = ["error", "probe_error", (error as Error).message];
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
