/**
 * One query-server process, spoken to the way CouchDB's `couch_os_process` does: started with
 * `/bin/sh -c <command>`, one request line at a time, `["log", "..."]` lines skipped, one
 * answer line awaited within the per-line timeout (`os_process_timeout`, 5 s by default).
 * Everything that goes wrong surfaces as a `QueryServerError` whose one-line message names
 * the server and the request it was answering.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readProcessUsage, type ProcessUsage } from "./process-usage.js";

export interface ServerSpec {
  name: string;
  /** A shell command, as in `COUCHDB_QUERY_SERVER_<LANG>`. */
  command: string;
}

export class QueryServerError extends Error {}

const STDERR_TAIL_CHARS = 2000;

export class ServerProcess {
  readonly #spec: ServerSpec;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #timeoutMs: number;
  #buffered = "";
  #lines: string[] = [];
  #stderrTail = "";
  #exit: string | undefined;
  #wake: (() => void) | undefined;
  readonly #closed: Promise<void>;

  constructor(spec: ServerSpec, timeoutMs: number) {
    this.#spec = spec;
    this.#timeoutMs = timeoutMs;
    this.#child = spawn("/bin/sh", ["-c", spec.command], { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => this.#receive(chunk));
    this.#child.stderr.setEncoding("utf8");
    this.#child.stderr.on("data", (chunk: string) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    // A server that died makes writes fail with EPIPE; the exit is what we report.
    this.#child.stdin.on("error", () => {});
    this.#child.on("error", (error) => this.#ended(`could not be started (${error.message})`));
    // "close", not "exit": by then stderr is drained, so the error can quote its last line.
    this.#closed = new Promise((resolve) =>
      this.#child.on("close", (code, signal) => {
        this.#ended(signal ? `was killed by ${signal}` : `exited with status ${code}`);
        resolve();
      }),
    );
  }

  get name(): string {
    return this.#spec.name;
  }

  /** Sends one line and returns the parsed answer; `what` names the request in errors. */
  async request(line: string, what: string): Promise<unknown> {
    if (this.#exit) throw this.#error(`${this.#exit} before ${what}`);
    this.#child.stdin.write(`${line}\n`);
    for (;;) {
      const answer = await this.#nextLine(what);
      const reply = this.#parse(answer, what);
      if (!isLogLine(reply)) return checkNotError(reply, (message) => this.#error(`${what} failed: ${message}`));
    }
  }

  /** CPU and memory so far; call before `close()`, while the process still exists. */
  usage(): Promise<ProcessUsage | undefined> {
    return this.#child.pid === undefined ? Promise.resolve(undefined) : readProcessUsage(this.#child.pid);
  }

  /** Closes stdin like CouchDB closing the port; kills the process if it does not exit. */
  async close(graceMs = 2000): Promise<void> {
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#closed;
    clearTimeout(timer);
  }

  #receive(chunk: string): void {
    const parts = (this.#buffered + chunk).split("\n");
    this.#buffered = parts.pop()!;
    this.#lines.push(...parts);
    this.#wake?.();
  }

  #ended(reason: string): void {
    this.#exit ??= reason;
    this.#wake?.();
  }

  async #nextLine(what: string): Promise<string> {
    while (this.#lines.length === 0) {
      if (this.#exit) throw this.#error(`${this.#exit} while waiting for the answer to ${what}`);
      const woken = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.#timeoutMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!(await woken))
        throw this.#error(`no answer to ${what} within ${this.#timeoutMs} ms (CouchDB's os_process_timeout)`);
      this.#wake = undefined;
    }
    return this.#lines.shift()!;
  }

  #parse(answer: string, what: string): unknown {
    try {
      return JSON.parse(answer);
    } catch {
      throw this.#error(`answered ${what} with a line that is not JSON: ${preview(answer)}`);
    }
  }

  #error(message: string): QueryServerError {
    const stderr = this.#stderrTail.trim().split("\n").at(-1);
    return new QueryServerError(
      `server "${this.#spec.name}" ${message}${stderr ? ` (last stderr line: ${preview(stderr)})` : ""}`,
    );
  }
}

/** CouchDB treats `["log", <string>]` as a log message and keeps waiting for the answer. */
function isLogLine(reply: unknown): boolean {
  return Array.isArray(reply) && reply.length === 2 && reply[0] === "log" && typeof reply[1] === "string";
}

function checkNotError(reply: unknown, fail: (message: string) => Error): unknown {
  if (Array.isArray(reply) && (reply[0] === "error" || reply[0] === "fatal")) {
    throw fail(`${reply[0]} ${preview(JSON.stringify(reply.slice(1)))}`);
  }
  return reply;
}

export function preview(text: string, maxChars = 120): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
