import { createHash } from "node:crypto";
import nano, { type ServerScope } from "nano";
import { scrubUrl } from "./url.js";

/** `GET /` — https://docs.couchdb.org/en/stable/api/server/common.html#get-- */
export interface ServerInfo {
  couchdb: string;
  version: string;
  git_sha?: string;
  vendor?: { name?: string; version?: string };
}

export interface ActiveTask {
  type: string;
  database?: string;
  design_document?: string;
  changes_done?: number;
  total_changes?: number;
  pid?: string;
}

export interface ViewQuery {
  reduce?: boolean;
  limit?: number;
  group?: boolean;
  update?: "true" | "false" | "lazy";
}

/** An HTTP answer CouchDB gave with an error status. */
export class CouchHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(`${statusCode} ${error}: ${reason}`);
  }
}

/**
 * The CouchDB calls couchbench makes, over nano; errors become CouchHttpError or a network Error.
 * With a `signal`, every request is aborted when it fires (Ctrl-C), and none starts after it.
 */
export class CouchClient {
  readonly displayUrl: string;
  private readonly server: ServerScope;

  constructor(
    readonly url: string,
    readonly signal?: AbortSignal,
  ) {
    this.displayUrl = scrubUrl(url);
    this.server = nano({ url });
  }

  serverInfo(): Promise<ServerInfo> {
    return this.request({ path: "" });
  }

  /** https://docs.couchdb.org/en/stable/api/server/authn.html#get--_session */
  session(): Promise<{ userCtx: { name: string | null; roles: string[] } }> {
    return this.request({ path: "_session" });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#up */
  up(): Promise<{ status?: string }> {
    return this.request({ path: "_up" });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#node-node-name-versions */
  nodeVersions(): Promise<Record<string, unknown>> {
    return this.request({ path: "_node/_local/_versions" });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#node-node-name-stats */
  nodeStats(): Promise<Record<string, unknown>> {
    return this.request({ path: "_node/_local/_stats" });
  }

  activeTasks(): Promise<ActiveTask[]> {
    return this.request({ path: "_active_tasks" });
  }

  async createDatabase(name: string, shards: number): Promise<void> {
    await this.request({ method: "PUT", path: encodeURIComponent(name), qs: { q: shards } });
  }

  async deleteDatabase(name: string): Promise<void> {
    await this.request({ method: "DELETE", path: encodeURIComponent(name) }).catch((error: unknown) => {
      if (!(error instanceof CouchHttpError && error.statusCode === 404)) throw error;
    });
  }

  async documentCount(db: string): Promise<number> {
    const info = (await this.request({ path: encodeURIComponent(db) })) as { doc_count: number };
    return info.doc_count;
  }

  /** https://docs.couchdb.org/en/stable/api/database/bulk-api.html#db-bulk-docs */
  bulkDocs(db: string, body: string): Promise<Array<{ id: string; ok?: boolean; error?: string; reason?: string }>> {
    return this.request({ method: "POST", path: `${encodeURIComponent(db)}/_bulk_docs`, body, dontStringify: true, content_type: "application/json" } as nano.RequestOptions);
  }

  async putDocument(db: string, doc: { _id: string }): Promise<void> {
    await this.request({ method: "PUT", path: `${encodeURIComponent(db)}/${doc._id}`, body: doc });
  }

  queryView<T = unknown>(db: string, designDocId: string, view: string, query: ViewQuery = {}): Promise<T> {
    return this.request({ path: viewPath(db, designDocId, view), qs: query });
  }

  /**
   * sha256 of a view response as CouchDB sent it, streamed: the full output of a large index
   * does not fit in memory, and identical indexes give byte-identical responses.
   */
  async viewDigest(db: string, designDocId: string, view: string, query: ViewQuery): Promise<string> {
    const hash = createHash("sha256");
    this.signal?.throwIfAborted();
    const stream = (await this.server.request({ path: viewPath(db, designDocId, view), qs: query, stream: true, signal: this.signal } as never)) as unknown as AsyncIterable<Uint8Array>;
    for await (const chunk of stream) hash.update(chunk);
    return hash.digest("hex");
  }

  private async request<T>(options: nano.RequestOptions): Promise<T> {
    this.signal?.throwIfAborted();
    try {
      // nano hands `signal` to fetch; its typings do not list it.
      return (await this.server.request({ ...options, signal: this.signal } as nano.RequestOptions)) as T;
    } catch (error) {
      const failure = error as nano.RequestError & { error?: string; reason?: string };
      if (typeof failure.statusCode === "number") {
        throw new CouchHttpError(failure.statusCode, failure.error ?? "error", failure.reason ?? failure.message);
      }
      throw error;
    }
  }
}

function viewPath(db: string, designDocId: string, view: string): string {
  return `${encodeURIComponent(db)}/${designDocId}/_view/${encodeURIComponent(view)}`;
}

/** One line for a network-level failure: what happened, without a stack or nano's preamble. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as NodeJS.ErrnoException).code ?? cause?.code;
  const message = String((error as Error)?.message ?? error)
    .replace(/^error happened in your connection\. Reason: /, "")
    .replace(/^(Type)?Error: /, "");
  return code && !message.includes(code) ? `${code} (${message})` : message;
}
