import { randomBytes } from "node:crypto";
import type { TargetInfo } from "../results/results-format.js";
import { FailureError } from "../core/errors.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "./couch-client.js";
import { queryServer, shippedServerScripts, versionAtLeast } from "./query-servers.js";
import type { CouchTarget, StartedCouch } from "./targets/target.js";

export interface ServerAvailability {
  available: string[];
  /** Requested servers this CouchDB cannot run, with the reason. */
  missing: Array<{ server: string; reason: string }>;
}

/**
 * What the target really is: version and git sha from `GET /`, JS engine and Erlang from
 * `_versions`. When `_versions` fails, `problem` says why (for the run's notes).
 */
export async function describeTarget(target: CouchTarget, started: StartedCouch, availability: ServerAvailability, signal?: AbortSignal): Promise<{ info: TargetInfo; problem?: string }> {
  const client = new CouchClient(started.url, signal);
  const info = await client.serverInfo();
  let problem: string | undefined;
  const versions = await client.nodeVersions().catch((error: unknown) => {
    signal?.throwIfAborted();
    problem = `GET /_node/_local/_versions failed (${error instanceof CouchHttpError ? error.message : describeNetworkError(error)}): the JavaScript engine and Erlang version of ${target.id} are not recorded${target.kind === "docker" ? "" : " — a node started without -name (nonode@nohost) cannot answer it"}`;
    return {} as Record<string, unknown>;
  });
  const engine = versions.javascript_engine as { name?: string; version?: string } | undefined;
  const erlang = versions.erlang as { version?: string } | undefined;
  const described: TargetInfo = {
    id: target.id,
    kind: target.kind,
    url: client.displayUrl,
    couchdbVersion: info.version,
    ...(info.git_sha ? { gitSha: info.git_sha } : {}),
    ...(engine?.name ? { jsEngine: [engine.name, engine.version].filter(Boolean).join(" ") } : {}),
    ...(erlang?.version ? { erlangVersion: erlang.version } : {}),
    ...started.facts,
    availableServers: availability.available,
  };
  return { info: described, ...(problem ? { problem } : {}) };
}

/** couchbench creates and deletes databases: it needs an admin, and says so before it starts. */
export async function assertAdmin(url: string, signal?: AbortSignal): Promise<void> {
  const client = new CouchClient(url, signal);
  const { userCtx } = await client.session().catch((error: unknown) => {
    if (error instanceof CouchHttpError && error.statusCode === 401) {
      throw new FailureError(`CouchDB at ${client.displayUrl} rejected the credentials (${error.reason}) — give an admin's user:password in the URL`);
    }
    throw error;
  });
  if (!userCtx.roles.includes("_admin")) {
    const who = userCtx.name ? `user ${userCtx.name} is not an admin` : "no credentials were given";
    throw new FailureError(`CouchDB at ${client.displayUrl}: ${who} — couchbench creates databases, so give an admin's user:password in the URL`);
  }
}

/**
 * Which of the requested query servers this CouchDB can run: a one-document database and a
 * tiny design doc per language, queried once. A language CouchDB does not know fails the query.
 */
export async function probeQueryServers(url: string, requested: readonly string[], signal?: AbortSignal): Promise<ServerAvailability> {
  const client = new CouchClient(url, signal);
  const { version } = await client.serverInfo();
  const result: ServerAvailability = { available: [], missing: [] };
  const db = `couchbench-probe-${randomBytes(4).toString("hex")}`;
  await client.createDatabase(db, 1);
  try {
    await client.putDocument(db, { _id: "probe", type: "probe" } as { _id: string });
    for (const name of requested) {
      const spec = queryServer(name);
      if (!spec) {
        result.missing.push({ server: name, reason: "not a query server couchbench knows" });
      } else if (spec.sinceVersion && !versionAtLeast(version, spec.sinceVersion)) {
        result.missing.push({ server: name, reason: `needs CouchDB ≥ ${spec.sinceVersion}, this is ${version}` });
      } else {
        const problem = await tryLanguage(client, db, spec.language);
        if (problem) result.missing.push({ server: name, reason: problem });
        else result.available.push(name);
      }
    }
  } finally {
    await client.deleteDatabase(db).catch(() => undefined);
  }
  return result;
}

async function tryLanguage(client: CouchClient, db: string, language: string): Promise<string | undefined> {
  const ddoc = { _id: `_design/probe-${language}`, language, autoupdate: false, views: { probe: { map: "function (doc) { emit(doc._id, null); }" } } };
  try {
    await client.putDocument(db, ddoc);
    await client.queryView(db, ddoc._id, "probe", { limit: 1 });
    return undefined;
  } catch (error) {
    return error instanceof CouchHttpError ? `${error.error}: ${error.reason}` : describeNetworkError(error);
  }
}

/** How to make a missing server available, for the error message. */
export function registrationHint(server: string): string {
  const spec = queryServer(server);
  if (spec?.envVar) {
    const script = shippedServerScripts[server as keyof typeof shippedServerScripts];
    return `register it in the environment of the CouchDB process: ${spec.envVar}="node ${script}" (the docker and local targets do this for you)`;
  }
  if (server === "quickjs") return "QuickJS ships with CouchDB 3.4 and later";
  return "CouchDB registers couchjs itself; check COUCHDB_QUERY_SERVER_JAVASCRIPT";
}
