import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliEntry } from "./paths.js";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `couchbench` entry point in a child process, as a user would (no debug stack traces). */
export function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [cliEntry, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, COUCHBENCH_DEBUG: "", ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A `couchbench` child process a test can signal when its stderr shows a given line. */
export interface RunningCli {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the match once stderr matches `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    env: { ...process.env, COUCHBENCH_DEBUG: "", ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const watchers: Array<() => void> = [];
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    stderr += chunk;
    for (const watcher of [...watchers]) watcher();
  });
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (status, signal) => resolve({ status, signal })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stderr.match(pattern);
        if (!match) return;
        watchers.splice(watchers.indexOf(check), 1);
        resolve(match);
      };
      watchers.push(check);
      check();
      void exited.then(() => reject(new Error(`couchbench exited before its stderr matched ${pattern}:\n${stderr}`)));
    });
  return { child, stderr: () => stderr, waitFor, exited };
}

/** Writes each value as JSON (strings as they are) into a fresh directory; returns the paths. */
export function writeInputs(files: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "couchbench-cli-"));
  return Object.fromEntries(
    Object.entries(files).map(([name, value]) => {
      const path = join(dir, name);
      writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
      return [name, path];
    }),
  );
}
