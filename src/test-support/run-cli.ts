import { spawnSync } from "node:child_process";
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
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [cliEntry, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, COUCHBENCH_DEBUG: "", ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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
