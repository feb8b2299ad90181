import type { LinePort } from "../line-port.js";
import { QueryServer } from "../query-server.js";
import { untimed } from "../sandbox/watchdog.js";

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
export function session(server = new QueryServer(untimed)): {
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
