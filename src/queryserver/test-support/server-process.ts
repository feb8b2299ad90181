import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The real bundle, next to dist/queryserver/ (tests run from dist/). */
export const bundlePath = fileURLToPath(new URL("../../query-server.js", import.meta.url));

/**
 * The bundled query server as a child process over pipes, read line by line the way CouchDB
 * does: every read has a deadline, and the exit status can be awaited.
 */
export class ServerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private partial = "";
  private waiter: (() => void) | undefined;
  readonly exited: Promise<number | null>;
  private hasExited = false;
  stderr = "";

  constructor(args: string[] = [], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, [bundlePath, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      const parts = (this.partial + chunk).split("\n");
      this.partial = parts.pop() ?? "";
      this.lines.push(...parts);
      this.wake();
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => (this.stderr += chunk));
    // Writes after the server exited are expected in some scenarios (EPIPE); ignore them.
    this.child.stdin.on("error", () => {});
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        this.hasExited = true;
        this.wake();
        resolve(signal ? null : code);
      });
    });
  }

  /** Resident set size now, from /proc (Linux). */
  residentMegabytes(): number {
    return Number(/VmRSS:\s+(\d+) kB/.exec(this.procStatus())?.[1]) / 1024;
  }

  /** Threads of the process now, from /proc (Linux). */
  threadCount(): number {
    return Number(/Threads:\s+(\d+)/.exec(this.procStatus())?.[1]);
  }

  private procStatus(): string {
    return readFileSync(`/proc/${this.child.pid}/status`, "utf8");
  }

  get isRunning(): boolean {
    return !this.hasExited;
  }

  send(line: string): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(line + "\n");
  }

  /** Raw bytes, for framing tests. */
  write(bytes: Buffer | string): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(bytes);
  }

  closeInput(): void {
    this.child.stdin.end();
  }

  /** The next output line, or null if the process exited or nothing came within the deadline. */
  async readLine(timeoutMs = 5000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.hasExited) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.lines.shift() ?? null;
  }

  /** Exit status (null when killed by a signal), or "timeout". */
  async waitForExit(timeoutMs = 5000): Promise<number | null | "timeout"> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  kill(): void {
    if (!this.hasExited) this.child.kill("SIGKILL");
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** True for lines CouchDB treats as log lines: `["log", <string>]`. */
export function isLogLine(line: string): boolean {
  if (!line.startsWith('["log",')) return false;
  try {
    const value = JSON.parse(line) as unknown;
    return Array.isArray(value) && value.length === 2 && value[0] === "log" && typeof value[1] === "string";
  } catch {
    return false;
  }
}
