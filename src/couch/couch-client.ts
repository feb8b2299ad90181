import { createHash } from "node:crypto";
import nano, { type ServerScope } from "nano";
import type { Membership } from "./targets/cluster-config.js";
import { scrubUrl } from "./url.js";

/** `GET /` — https://docs.couchdb.org/en/stable/api/server/common.html#get-- */
export interface ServerInfo {
  couchdb: string;
  version: string;
  git_sha?: string;
  vendor?: { name?: string; version?: string };
}

/** The fields of `GET /{db}` couchbench reads. */
export interface DatabaseInfo {
  db_name: string;
  doc_count: number;
  doc_del_count: number;
  /** Opaque; changes with every write, so it shows whether a database was written to. */
  update_seq: string;
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
  group_level?: number;
  include_docs?: boolean;
  update?: "true" | "false" | "lazy";
}

/**
 * `GET /{db}/_design/{ddoc}/_info` — https://docs.couchdb.org/en/stable/api/ddoc/common.html#db-design-design-doc-info
 */
export interface DesignDocInfo {
  name: string;
  view_index: {
    signature: string;
    sizes: { active: number; external: number; file: number };
    compact_running?: boolean;
    updater_running?: boolean;
  };
}

/** The fields of `GET /_node/_local/_system` couchbench reads. */
export interface NodeSystem {
  /** Erlang's memory by kind, in bytes (`*_used` are parts of the others). */
  memory: Record<string, number>;
  /** Query-server processes CouchDB has open. */
  os_proc_count?: number;
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
  nodeVersions(node = "_local"): Promise<Record<string, unknown>> {
    return this.request({ path: `_node/${encodeURIComponent(node)}/_versions` });
  }

  /** `GET /` of one node, through `/_node/{node}/`: its own version. */
  nodeServerInfo(node: string): Promise<ServerInfo> {
    return this.request({ path: `_node/${encodeURIComponent(node)}/` });
  }

  /** https://docs.couchdb.org/en/stable/api/server/configuration.html#node-node-name-config-section-key */
  nodeConfig(node: string, section: string, key: string): Promise<string> {
    return this.request({
      path: `_node/${encodeURIComponent(node)}/_config/${encodeURIComponent(section)}/${encodeURIComponent(key)}`,
    });
  }

  /**
   * Sets one configuration value of one node; `value: null` deletes it, so the default applies.
   * https://docs.couchdb.org/en/stable/api/server/configuration.html#put--_node-node-name-_config-section-key
   */
  async setNodeConfig(node: string, section: string, key: string, value: string | null): Promise<void> {
    const path = `_node/${encodeURIComponent(node)}/_config/${encodeURIComponent(section)}/${encodeURIComponent(key)}`;
    if (value !== null) {
      await this.request({ method: "PUT", path, body: value });
      return;
    }
    await this.request({ method: "DELETE", path }).catch((error: unknown) => {
      if (!(error instanceof CouchHttpError && error.statusCode === 404)) throw error;
    });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#membership */
  membership(): Promise<Membership> {
    return this.request({ path: "_membership" });
  }

  /** Adds a node to the cluster's node list: https://docs.couchdb.org/en/stable/setup/cluster.html#adding-a-node */
  async addNode(name: string): Promise<void> {
    await this.request({ method: "PUT", path: `_node/_local/_nodes/${encodeURIComponent(name)}`, body: {} });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#cluster-setup */
  clusterSetup<T = unknown>(body?: Record<string, unknown>): Promise<T> {
    return this.request(body ? { method: "POST", path: "_cluster_setup", body } : { path: "_cluster_setup" });
  }

  /** A database's shard map from the node-local `_dbs` database: ranges, their nodes, the shard file suffix. */
  shardMap(db: string): Promise<ShardMap> {
    return this.request({ path: `_node/_local/_dbs/${encodeURIComponent(db)}` });
  }

  /** A request to one shard copy on one node, through that node's node-local interface (`/_node/{node}/{shard}/…`). */
  copyRequest<T = unknown>(copy: ShardCopy, subPath = "", qs?: Record<string, unknown>): Promise<T> {
    return this.request({ path: copyPath(copy, subPath), ...(qs ? { qs } : {}) });
  }

  /** Writes a document into one shard copy only; an identical body gets the identical revision on every copy. */
  async putOnCopy(copy: ShardCopy, doc: { _id: string }): Promise<void> {
    await this.request({ method: "PUT", path: copyPath(copy, doc._id), body: doc });
  }

  /** sha256 of one copy's view response (see viewDigest). */
  copyViewDigest(copy: ShardCopy, designDocId: string, view: string, query: ViewQuery): Promise<string> {
    return this.digest(copyPath(copy, `${designDocId}/_view/${encodeURIComponent(view)}`), query);
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#node-node-name-stats */
  nodeStats(): Promise<Record<string, unknown>> {
    return this.request({ path: "_node/_local/_stats" });
  }

  activeTasks(): Promise<ActiveTask[]> {
    return this.request({ path: "_active_tasks" });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#all-dbs */
  allDatabases(): Promise<string[]> {
    return this.request({ path: "_all_dbs" });
  }

  /** `PUT /{db}?q=…[&n=…]`: without `copies`, the server's default number of copies per range. */
  async createDatabase(name: string, shards: number, copies?: number): Promise<void> {
    await this.request({
      method: "PUT",
      path: encodeURIComponent(name),
      qs: { q: shards, ...(copies !== undefined ? { n: copies } : {}) },
    });
  }

  async deleteDatabase(name: string): Promise<void> {
    await this.request({ method: "DELETE", path: encodeURIComponent(name) }).catch((error: unknown) => {
      if (!(error instanceof CouchHttpError && error.statusCode === 404)) throw error;
    });
  }

  async documentCount(db: string): Promise<number> {
    return (await this.databaseInfo(db)).doc_count;
  }

  /** https://docs.couchdb.org/en/stable/api/database/common.html#get--db */
  databaseInfo(db: string): Promise<DatabaseInfo> {
    return this.request({ path: encodeURIComponent(db) });
  }

  /**
   * One page of `_all_docs` with the documents, read only: live documents in id order (deleted
   * ones are not listed), starting after `after`. Attachments come as stubs.
   * https://docs.couchdb.org/en/stable/api/database/bulk-api.html#db-all-docs
   */
  async allDocsPage(
    db: string,
    limit: number,
    after?: string,
  ): Promise<Array<{ id: string; doc: Record<string, unknown> }>> {
    const qs = { include_docs: true, limit, ...(after !== undefined ? { startkey: after, skip: 1 } : {}) };
    const page = (await this.request({ path: `${encodeURIComponent(db)}/_all_docs`, qs })) as {
      rows: Array<{ id: string; doc: Record<string, unknown> }>;
    };
    return page.rows;
  }

  /** https://docs.couchdb.org/en/stable/api/database/bulk-api.html#db-bulk-docs */
  bulkDocs(
    db: string,
    body: string,
  ): Promise<Array<{ id: string; ok?: boolean; rev?: string; error?: string; reason?: string }>> {
    return this.request({
      method: "POST",
      path: `${encodeURIComponent(db)}/_bulk_docs`,
      body,
      dontStringify: true,
      content_type: "application/json",
    } as nano.RequestOptions);
  }

  async putDocument(db: string, doc: { _id: string }): Promise<void> {
    await this.request({ method: "PUT", path: `${encodeURIComponent(db)}/${doc._id}`, body: doc });
  }

  /** https://docs.couchdb.org/en/stable/api/document/common.html#get--db-docid */
  getDocument<T = Record<string, unknown>>(db: string, id: string): Promise<T> {
    return this.request({
      path: `${encodeURIComponent(db)}/${id.startsWith("_design/") ? `_design/${encodeURIComponent(id.slice(8))}` : encodeURIComponent(id)}`,
    });
  }

  /** https://docs.couchdb.org/en/stable/api/database/compact.html#db-compact-design-doc */
  async compactViews(db: string, designDocId: string): Promise<void> {
    await this.request({
      method: "POST",
      path: `${encodeURIComponent(db)}/_compact/${encodeURIComponent(designDocId.replace(/^_design\//, ""))}`,
      body: {},
    });
  }

  /** https://docs.couchdb.org/en/stable/api/server/common.html#node-node-name-system */
  nodeSystem(): Promise<NodeSystem> {
    return this.request({ path: "_node/_local/_system" });
  }

  designDocInfo(db: string, designDocId: string): Promise<DesignDocInfo> {
    return this.request({ path: `${encodeURIComponent(db)}/${designDocId}/_info` });
  }

  /**
   * One configuration value of this node, undefined when it is not set.
   * https://docs.couchdb.org/en/stable/api/server/configuration.html
   */
  async configValue(section: string, key: string): Promise<string | undefined> {
    return this.request<string>({
      path: `_node/_local/_config/${encodeURIComponent(section)}/${encodeURIComponent(key)}`,
    }).catch((error: unknown) => {
      if (error instanceof CouchHttpError && error.statusCode === 404) return undefined;
      throw error;
    });
  }

  /** A whole configuration section of this node (`{}` when nothing in it is set). */
  async configSection(section: string): Promise<Record<string, string>> {
    return this.request<Record<string, string>>({ path: `_node/_local/_config/${encodeURIComponent(section)}` }).catch(
      (error: unknown) => {
        if (error instanceof CouchHttpError && error.statusCode === 404) return {};
        throw error;
      },
    );
  }

  queryView<T = unknown>(db: string, designDocId: string, view: string, query: ViewQuery = {}): Promise<T> {
    return this.request({ path: viewPath(db, designDocId, view), qs: query });
  }

  /**
   * sha256 of a view response as CouchDB sent it, streamed: the full output of a large index
   * does not fit in memory, and identical indexes give byte-identical responses.
   */
  viewDigest(db: string, designDocId: string, view: string, query: ViewQuery): Promise<string> {
    return this.digest(viewPath(db, designDocId, view), query);
  }

  private async digest(path: string, query: ViewQuery): Promise<string> {
    const hash = createHash("sha256");
    this.signal?.throwIfAborted();
    const stream = (await this.server.request({
      path,
      qs: query,
      stream: true,
      signal: this.signal,
    } as never)) as unknown as AsyncIterable<Uint8Array>;
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

/** `GET /_node/_local/_dbs/{db}`: the document mem3 keeps per clustered database. */
export interface ShardMap {
  /** The shard files' suffix as character codes (`.1701234567`). */
  shard_suffix: number[];
  by_range: Record<string, string[]>;
}

/** One copy of one shard range: the node that holds it and the shard's database name there. */
export interface ShardCopy {
  node: string;
  range: string;
  /** `shards/<range>/<db><suffix>` */
  shard: string;
}

function copyPath(copy: ShardCopy, subPath: string): string {
  return `_node/${encodeURIComponent(copy.node)}/${encodeURIComponent(copy.shard)}${subPath ? `/${subPath}` : ""}`;
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
