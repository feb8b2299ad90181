/**
 * The servers qs-bench compares when none is given: our TypeScript bundle, the noop floor,
 * and CouchDB's own JavaScript servers when an installation can be found — `couchjs`
 * (SpiderMonkey, run as `couchjs share/server/main.js`, as CouchDB's launcher does) and the
 * QuickJS `couchjs_mainjs` from `lib/couch_quickjs-<version>/priv` (CouchDB 3.4+).
 */
import { access, constants, readdir } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { noopQueryServerScript, queryServerBundle } from "../../core/package-paths.js";
import { shellQuote } from "../../couch/query-servers.js";
import type { ServerSpec } from "./server-process.js";

export function nodeCommand(script: string): string {
  return `${shellQuote(process.execPath)} ${shellQuote(script)}`;
}

export interface DefaultServers {
  servers: ServerSpec[];
  /** Why an expected server is missing, for stderr. */
  notes: string[];
}

export async function defaultServers(env: NodeJS.ProcessEnv = process.env): Promise<DefaultServers> {
  const servers: ServerSpec[] = [];
  const notes: string[] = [];
  if (await isFile(queryServerBundle)) servers.push({ name: "typescript", command: nodeCommand(queryServerBundle) });
  else notes.push(`no typescript server: ${queryServerBundle} is not built (npm run bundle)`);
  servers.push({ name: "noop", command: nodeCommand(noopQueryServerScript) });
  const couchjs = await findCouchjs(env);
  if (couchjs) {
    const root = dirname(dirname(couchjs));
    servers.push({
      name: "javascript",
      command: `${shellQuote(couchjs)} ${shellQuote(join(root, "share/server/main.js"))}`,
    });
    const quickjs = await findQuickjs(root);
    if (quickjs) servers.push({ name: "quickjs", command: shellQuote(quickjs) });
  } else {
    notes.push(
      "no couchjs: set COUCHJS=/path/to/couchdb/bin/couchjs, put it on PATH, or install CouchDB in /opt/couchdb*",
    );
  }
  return { servers, notes };
}

async function findCouchjs(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const fromPath = (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "couchjs"));
  // Installations only (/opt/couchdb, /opt/couchdb-3.4.3), not source trees; newest first.
  const fromOpt = (await listDir("/opt"))
    .filter((name) => /^couchdb(-[\d.]+)?$/.test(name))
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }))
    .map((name) => join("/opt", name, "bin/couchjs"));
  for (const candidate of [env.COUCHJS, ...fromPath, ...fromOpt]) {
    if (
      candidate &&
      (await isExecutable(candidate)) &&
      (await isFile(join(dirname(dirname(candidate)), "share/server/main.js")))
    ) {
      return candidate;
    }
  }
  return undefined;
}

async function findQuickjs(root: string): Promise<string | undefined> {
  const apps = (await listDir(join(root, "lib"))).filter((name) => name.startsWith("couch_quickjs"));
  for (const app of apps) {
    const candidate = join(root, "lib", app, "priv/couchjs_mainjs");
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function listDir(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

async function isFile(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(
    () => true,
    () => false,
  );
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
