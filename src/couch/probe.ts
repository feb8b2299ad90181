import { randomBytes } from "node:crypto";
import type { TargetInfo } from "../results/results-format.js";
import { FailureError } from "../core/errors.js";
import { describeCluster, describeVersions } from "./cluster-setup.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "./couch-client.js";
import {
  MANGO_LANGUAGE,
  queryServer,
  shippedServerScripts,
  versionAtLeast,
  type ServerCommand,
} from "./query-servers.js";
import type { CouchTarget, StartedCouch } from "./targets/target.js";

export interface ServerAvailability {
  /** Requested servers this CouchDB runs (including those in `rejected`: the server is there). */
  available: string[];
  /** Requested servers this CouchDB cannot run, with the reason: the server's fault. */
  missing: Array<{ server: string; reason: string }>;
  /**
   * Servers that ran but could not compile the function they were probed with (`compilation_error`): the design doc's
   * fault, in the view named here.
   */
  rejected: Array<{ server: string; view: string; reason: string }>;
}

/**
 * What the target really is: version and git sha from `GET /`, JS engine and Erlang from
 * `_versions` (when it fails, `problem` says why, for the run's notes), and, when it has more
 * than one node, the cluster (`_membership` and every node's versions).
 */
export async function describeTarget(
  target: CouchTarget,
  started: StartedCouch,
  availability: ServerAvailability,
  signal?: AbortSignal,
): Promise<{ info: TargetInfo; problem?: string }> {
  const client = new CouchClient(started.url, signal);
  const info = await client.serverInfo();
  let problem: string | undefined;
  const versions = await client.nodeVersions().catch((error: unknown) => {
    signal?.throwIfAborted();
    problem = `GET /_node/_local/_versions failed (${error instanceof CouchHttpError ? error.message : describeNetworkError(error)}): the JavaScript engine and Erlang version of ${target.id} are not recorded${target.kind === "docker" ? "" : " — a node started without -name (nonode@nohost) cannot answer it"}`;
    return undefined;
  });
  // A server without _membership (not CouchDB 2+, or a proxy hiding it) is recorded as one node.
  const cluster = await describeCluster(started.url).catch(() => undefined);
  const described: TargetInfo = {
    id: target.id,
    kind: target.kind,
    url: client.displayUrl,
    couchdbVersion: info.version,
    ...(info.git_sha ? { gitSha: info.git_sha } : {}),
    ...describeVersions(versions),
    ...started.facts,
    availableServers: availability.available,
    ...(cluster && cluster.nodeCount > 1 ? { cluster } : {}),
  };
  return { info: described, ...(problem ? { problem } : {}) };
}

/** couchbench creates and deletes databases: it needs an admin, and says so before it starts. */
export async function assertAdmin(url: string, signal?: AbortSignal): Promise<void> {
  const client = new CouchClient(url, signal);
  const { userCtx } = await client.session().catch((error: unknown) => {
    if (error instanceof CouchHttpError && error.statusCode === 401) {
      throw new FailureError(
        `CouchDB at ${client.displayUrl} rejected the credentials (${error.reason}) — give an admin's user:password in the URL`,
      );
    }
    throw error;
  });
  if (!userCtx.roles.includes("_admin")) {
    const who = userCtx.name ? `user ${userCtx.name} is not an admin` : "no credentials were given";
    throw new FailureError(
      `CouchDB at ${client.displayUrl}: ${who} — couchbench creates databases, so give an admin's user:password in the URL`,
    );
  }
}

export interface ProbeOptions {
  /** `--query-server` servers, probed by their language like the built-in ones. */
  custom?: readonly ServerCommand[];
  /**
   * The view a language is probed with: the run's own first one, so a server that cannot run it is found here (default:
   * a JavaScript one; for Mango an index on `type`). The probe's view gets its name, so CouchDB's own error names it
   * too.
   */
  probeView?: (language: string) => ProbeView | undefined;
}

export interface ProbeView {
  view: string;
  /** A function's source, or a Mango index's definition (mango_native_proc reads an object). */
  map: string | Record<string, unknown>;
}

/**
 * Which of the requested query servers this CouchDB can run: a one-document database and a
 * tiny design doc per language, queried once. A language CouchDB does not know fails the query.
 */
export async function probeQueryServers(
  url: string,
  requested: readonly string[],
  options: ProbeOptions = {},
  signal?: AbortSignal,
): Promise<ServerAvailability> {
  const client = new CouchClient(url, signal);
  const { version } = await client.serverInfo();
  const result: ServerAvailability = { available: [], missing: [], rejected: [] };
  const db = `couchbench-probe-${randomBytes(4).toString("hex")}`;
  await client.createDatabase(db, 1);
  try {
    await client.putDocument(db, { _id: "probe", type: "probe" } as { _id: string });
    for (const name of requested) {
      const spec = queryServer(name, options.custom);
      if (!spec) {
        result.missing.push({ server: name, reason: "not a query server couchbench knows" });
      } else if (spec.sinceVersion && !versionAtLeast(version, spec.sinceVersion)) {
        result.missing.push({ server: name, reason: `needs CouchDB ≥ ${spec.sinceVersion}, this is ${version}` });
      } else {
        const probe =
          options.probeView?.(spec.language) ?? (spec.language === MANGO_LANGUAGE ? MANGO_PROBE_VIEW : JS_PROBE_VIEW);
        const problem = await tryLanguage(client, db, spec.language, probe);
        if (problem?.fault === "server") result.missing.push({ server: name, reason: problem.reason });
        else result.available.push(name);
        if (problem?.fault === "design-doc")
          result.rejected.push({ server: name, view: probe.view, reason: problem.reason });
      }
    }
  } finally {
    // Without the signal: after Ctrl-C an aborted client would leave the probe database behind.
    await new CouchClient(url).deleteDatabase(db).catch(() => undefined);
  }
  return result;
}

const JS_PROBE_VIEW: ProbeView = { view: "probe", map: "function (doc) { emit(doc._id, null); }" };
const MANGO_PROBE_VIEW: ProbeView = { view: "probe", map: { fields: { type: "asc" }, partial_filter_selector: {} } };

/**
 * Whose fault a failed probe query is. Only `compilation_error` (or Erlang's parser error) proves the server ran and
 * the
 * function is wrong; an
 * unknown language, a process that cannot be spawned or dies, a timeout are the server's (a map that throws on the
 * probe document fails nothing: CouchDB logs it and leaves the document out).
 */
async function tryLanguage(
  client: CouchClient,
  db: string,
  language: string,
  probe: ProbeView,
): Promise<{ fault: "server" | "design-doc"; reason: string } | undefined> {
  const ddoc = {
    _id: `_design/probe-${language}`,
    language,
    autoupdate: false,
    views: { [probe.view]: { map: probe.map } },
  };
  try {
    await client.putDocument(db, ddoc);
    await client.queryView(db, ddoc._id, probe.view, { limit: 1 });
    return undefined;
  } catch (error) {
    if (!(error instanceof CouchHttpError)) return { fault: "server", reason: describeNetworkError(error) };
    if (ERLANG_PARSE_ERROR.test(error.error)) return { fault: "design-doc", reason: error.error.replace(/\s+/g, " ") };
    const reason = `${error.error}: ${error.reason}`;
    return { fault: error.error === "compilation_error" ? "design-doc" : "server", reason };
  }
}

/**
 * Erlang views that do not parse crash the indexer with the parser's error as the `error` (and a stack trace as the
 * `reason`) instead of a `compilation_error`.
 */
const ERLANG_PARSE_ERROR = /\berl_(?:parse|scan)\b/;

/** How to make a missing server available, for the error message. */
export function registrationHint(server: string, custom: readonly ServerCommand[] = []): string {
  const spec = queryServer(server, custom);
  if (spec?.command) {
    return `register it in the environment of the CouchDB process: ${spec.envVar}="${spec.command}" (the docker and local targets do this; in Docker the command must exist in the image — see --docker-file)`;
  }
  if (spec?.ownSources)
    return `enable it in CouchDB's config: [native_query_servers] enable_erlang_query_server = true (the docker and local targets do this for you)`;
  if (spec?.envVar) {
    const script =
      shippedServerScripts[server as keyof typeof shippedServerScripts] ?? "<that build>/dist/query-server.js";
    return `register it in the environment of the CouchDB process: ${spec.envVar}="node ${script}" (the docker and local targets do this for you)`;
  }
  if (server === "quickjs") return "QuickJS ships with CouchDB 3.4 and later";
  if (server === "mango") return "Mango ships with CouchDB 2.0 and later";
  return "CouchDB registers couchjs itself; check COUCHDB_QUERY_SERVER_JAVASCRIPT";
}
