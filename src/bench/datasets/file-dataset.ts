import { readFile } from "node:fs/promises";
import { UsageError } from "../../core/errors.js";
import type { DocBody } from "./profile.js";

/**
 * Documents from the user's file: a JSON array or NDJSON. `_rev` and design documents are
 * dropped (CouchDB assigns revisions; design docs are not indexed). Asking for more documents
 * than the file has cycles through it (see sampled-docs.ts).
 */
export async function readDocumentFile(path: string): Promise<DocBody[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `--dataset ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error}) — give a JSON array or NDJSON file of documents, or one of small, medium, large`,
    );
  }
  const docs = parseDocuments(text, path).filter((doc) => !String(doc._id ?? "").startsWith("_design/"));
  if (docs.length === 0)
    throw new UsageError(
      `--dataset ${path}: the file holds no documents — give a JSON array or NDJSON file of objects`,
    );
  return docs.map(({ _rev: _ignored, ...body }) => body);
}

function parseDocuments(text: string, path: string): DocBody[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    const parsed = parseJson(trimmed, path, 1) as unknown[];
    return parsed.map((doc, i) => asDocument(doc, path, i + 1));
  }
  return trimmed
    .split("\n")
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, number }) => asDocument(parseJson(line, path, number), path, number));
}

function parseJson(text: string, path: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--dataset ${path}: invalid JSON at line ${line} (${(error as Error).message}) — the file must be a JSON array or one JSON document per line`,
    );
  }
}

function asDocument(value: unknown, path: string, position: number): DocBody {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(
      `--dataset ${path}: entry ${position} is not a JSON object — every document must be an object`,
    );
  }
  return value as DocBody;
}
