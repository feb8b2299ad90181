/**
 * `--dataset couchdb:<url>/<db>`: a sample of a live database's documents, read once with
 * `_all_docs` (never written to). Design docs and deleted docs are left out, attachments dropped.
 */
import { UsageError } from "../../core/errors.js";
import { median, percentile } from "../../core/stats.js";
import { CouchClient } from "../../couch/couch-client.js";
import { scrubUrl } from "../../couch/url.js";
import type { DatasetInfo } from "../../results/results-format.js";
import type { DocBody } from "./profile.js";

export const COUCHDB_PREFIX = "couchdb:";

export interface CouchSource {
  /** Server URL, credentials included (never recorded). */
  serverUrl: string;
  database: string;
  /** `couchdb:<url>/<db>` without credentials: how results name the dataset. */
  name: string;
}

export function isCouchSpec(spec: string): boolean {
  return spec.startsWith(COUCHDB_PREFIX);
}

export function parseCouchSpec(spec: string): CouchSource {
  const location = spec.slice(COUCHDB_PREFIX.length);
  const problem = `--dataset ${scrubUrl(location) === location ? spec : COUCHDB_PREFIX + scrubUrl(location)}`;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new UsageError(`${problem}: not a URL — give couchdb:http://user:password@host:5984/<database>`);
  }
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  if ((url.protocol !== "http:" && url.protocol !== "https:") || segments.length === 0) {
    throw new UsageError(
      `${problem}: needs an http(s) URL ending in the database name — e.g. couchdb:http://user:password@host:5984/mydb`,
    );
  }
  const database = decodeURIComponent(segments.pop()!);
  url.pathname = segments.map((segment) => `${segment}/`).join("");
  url.search = "";
  const serverUrl = url.toString().replace(/\/$/, "");
  return { serverUrl, database, name: `${COUCHDB_PREFIX}${scrubUrl(serverUrl)}/${encodeURIComponent(database)}` };
}

export interface CouchSample {
  docs: DocBody[];
  info: DatasetInfo;
}

const PAGE_SIZE = 1000;

/** The first `limit` live, non-design documents in id order, ready to load into a new database. */
export async function readCouchSample(source: CouchSource, limit: number): Promise<CouchSample> {
  const client = new CouchClient(source.serverUrl);
  const before = await client.databaseInfo(source.database).catch((error: unknown) => {
    throw new UsageError(
      `--dataset ${source.name}: cannot read the database (${(error as Error).message}) — check the URL, the name and the credentials`,
    );
  });
  const docs: DocBody[] = [];
  let docsWithAttachments = 0;
  let after: string | undefined;
  while (docs.length < limit) {
    const rows = await client.allDocsPage(source.database, PAGE_SIZE, after);
    for (const row of rows) {
      if (docs.length >= limit || row.id.startsWith("_design/")) continue;
      const { doc, hadAttachments } = loadable(row.doc);
      docs.push(doc);
      if (hadAttachments) docsWithAttachments++;
    }
    if (rows.length < PAGE_SIZE) break;
    after = rows[rows.length - 1]!.id;
  }
  if (docs.length === 0)
    throw new UsageError(
      `--dataset ${source.name}: the database holds no documents besides design docs — pick a database with data`,
    );
  return { docs, info: describeSample(source, before.update_seq, docs, docsWithAttachments) };
}

/**
 * The document as a new database accepts it: `_rev` goes (the scratch database assigns its own),
 * `_attachments` go (a stub needs the attachment to exist already), and so do the other
 * `_`-fields only CouchDB may set (`_conflicts`, …).
 */
export function loadable(doc: DocBody): { doc: DocBody; hadAttachments: boolean } {
  const kept = Object.fromEntries(Object.entries(doc).filter(([key]) => key === "_id" || !key.startsWith("_")));
  return { doc: kept, hadAttachments: doc._attachments !== undefined };
}

export function describeSample(
  source: CouchSource,
  updateSeq: string,
  docs: readonly DocBody[],
  docsWithAttachments: number,
): DatasetInfo {
  const sizes = docs.map((doc) => Buffer.byteLength(JSON.stringify(doc))).sort((a, b) => a - b);
  return {
    name: source.name,
    source: "couchdb",
    url: scrubUrl(source.serverUrl),
    database: source.database,
    updateSeq,
    sampledDocs: docs.length,
    attachments: "dropped",
    docsWithAttachments,
    docBytes: { min: sizes[0]!, median: median(sizes), p95: percentile(sizes, 95), max: sizes[sizes.length - 1]! },
  };
}
