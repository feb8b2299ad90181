import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

/** One request of a process file and the lines the reference answered (log lines included). */
export interface Exchange {
  send: string;
  recv: string[];
  noreply: boolean;
}

export interface ProcessFile {
  /** e.g. "3.4.3-quickjs/lists/process-2.jsonl" */
  name: string;
  /** CouchDB version of the capture, e.g. "3.3.3". */
  version: string;
  exchanges: Exchange[];
}

/**
 * The transcripts of ../shared/transcripts, kept in the repository as test fixtures (each
 * process file gzipped): src/queryserver/fixtures/transcripts, read from the source tree.
 */
const TRANSCRIPTS_DIR: string = fileURLToPath(
  new URL("../../../src/queryserver/fixtures/transcripts/", import.meta.url),
);

export function loadProcessFiles(dir = TRANSCRIPTS_DIR): ProcessFile[] {
  if (!existsSync(dir)) throw new Error(`transcripts not found at ${dir}: the repository's fixtures are missing`);
  const files: ProcessFile[] = [];
  for (const target of readdirSync(dir).sort()) {
    if (!/^\d+\.\d+\.\d+-/.test(target)) continue;
    const targetDir = join(dir, target);
    for (const scenario of readdirSync(targetDir).sort()) {
      const scenarioDir = join(targetDir, scenario);
      for (const file of readdirSync(scenarioDir).filter((f) => /^process-\d+\.jsonl\.gz$/.test(f))) {
        files.push({
          name: `${target}/${scenario}/${file.replace(/\.gz$/, "")}`,
          version: target.split("-")[0]!,
          exchanges: parseProcessFile(gunzipSync(readFileSync(join(scenarioDir, file))).toString("utf8")),
        });
      }
    }
  }
  return files;
}

function parseProcessFile(text: string): Exchange[] {
  const exchanges: Exchange[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    const entry = JSON.parse(raw) as { send?: string; recv?: string; noreply?: boolean };
    if (entry.send !== undefined) {
      exchanges.push({ send: entry.send, recv: [], noreply: entry.noreply === true });
    } else if (entry.recv !== undefined) {
      const last = exchanges.at(-1);
      if (!last) throw new Error("recv before any send");
      last.recv.push(entry.recv);
    }
  }
  return exchanges;
}

/** Every string inside the JSON of the sent lines: the candidate function sources for E3. */
export function sentStrings(exchanges: Exchange[]): Set<string> {
  const strings = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") strings.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  for (const exchange of exchanges) {
    try {
      walk(JSON.parse(exchange.send));
    } catch {
      // not JSON: contributes no sources
    }
  }
  return strings;
}
