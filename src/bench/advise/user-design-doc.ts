import { access, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { UsageError } from "../../core/errors.js";
import { designDocsDir } from "../../core/package-paths.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "../../couch/couch-client.js";
import { scrubUrl } from "../../couch/url.js";
import { parseTemplate } from "../design-docs.js";
import type { UserDesignDoc } from "./variants.js";

/**
 * `--ddoc` for advise: a file, a short name from designdocs/ (`classic`), or a live design doc
 * `couchdb:<url>/<db>/_design/<name>`, which is only read (advise never writes to that database).
 */
export async function loadUserDesignDoc(spec: string): Promise<{ design: UserDesignDoc; source: string }> {
  if (spec.startsWith("couchdb:")) return fetchDesignDoc(spec);
  const path = (await exists(spec))
    ? spec
    : /^[\w-]+$/.test(spec) && (await exists(join(designDocsDir, `${spec}.json`)))
      ? join(designDocsDir, `${spec}.json`)
      : undefined;
  if (!path)
    throw new UsageError(
      `--ddoc ${spec}: no such file or short name — give a design doc .json, a name from designdocs/ (e.g. classic) or couchdb:http://host:5984/db/_design/name`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(
      `--ddoc ${spec}: not a JSON design doc (${(error as Error).message}) — give a file like designdocs/classic.json`,
    );
  }
  return { design: userDesignDoc(parsed, path, `_design/${basename(path, extname(path))}`), source: path };
}

async function fetchDesignDoc(spec: string): Promise<{ design: UserDesignDoc; source: string }> {
  const match = /^couchdb:(https?:\/\/.+)\/([^/]+)\/(_design\/[^/]+)$/.exec(spec);
  const source = scrubUrl(spec.slice("couchdb:".length));
  if (!match)
    throw new UsageError(
      `--ddoc ${source}: not a design doc URL — use couchdb:http://user:pw@host:5984/<db>/_design/<name>`,
    );
  const [, url, db, id] = match as unknown as [string, string, string, string];
  const client = new CouchClient(url);
  const doc = await client.getDocument(decodeURIComponent(db), decodeURIComponent(id)).catch((error: unknown) => {
    const reason =
      error instanceof CouchHttpError
        ? `CouchDB answered ${error.statusCode} ${error.error}`
        : describeNetworkError(error);
    throw new UsageError(
      `--ddoc couchdb:${source}: cannot read it (${reason}) — check the URL, the database and the credentials`,
    );
  });
  return { design: userDesignDoc(doc, `couchdb:${source}`, decodeURIComponent(id)), source: `couchdb:${source}` };
}

function userDesignDoc(parsed: unknown, source: string, fallbackId: string): UserDesignDoc {
  const template = parseTemplate(parsed, source);
  const { _id, _rev: _ignored, language, views: _views, ...otherFields } = parsed as Record<string, unknown>;
  return {
    id: typeof _id === "string" && _id.startsWith("_design/") ? _id : fallbackId,
    language: typeof language === "string" ? language : "javascript",
    template,
    otherFields,
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
