import type { LinePort } from "../line-port.js";
import { QueryServer } from "../query-server.js";
import type { TimeGuard } from "../sandbox/watchdog.js";

/** For in-process tests: measures nothing (the pipe tests exercise the real watchdog). */
export const unguarded: TimeGuard = {
  run: (fn) => fn(),
  pause: (fn) => fn(),
  setLimitMs: () => {},
  exclusiveOutput: (write) => write(),
};

/** A LinePort over arrays: what the list protocol reads comes from `input`. */
export class MemoryPort implements LinePort {
  readonly output: string[] = [];
  constructor(private readonly input: string[] = []) {}
  send(line: string): void {
    this.output.push(line);
  }
  receive(): string | null {
    return this.input.shift() ?? null;
  }
}

/** A server plus a helper that sends one command (as a value or raw text) and returns all lines it wrote. */
export function session(server = new QueryServer(unguarded)): {
  send(command: unknown, pending?: unknown[]): { lines: string[]; exit: number | undefined; replies: unknown[] };
} {
  return {
    send(command, pending = []) {
      const port = new MemoryPort(pending.map((p) => JSON.stringify(p)));
      const line = typeof command === "string" ? command : JSON.stringify(command);
      const exit = server.handle(line, port);
      return { lines: port.output, exit, replies: port.output.map((l) => JSON.parse(l) as unknown) };
    },
  };
}

/** The last line of a command's output as a value (the reply proper). */
export function replyOf(result: { replies: unknown[] }): unknown {
  return result.replies.at(-1);
}
