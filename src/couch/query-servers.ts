import { noopQueryServerScript, queryServerBundle } from "../core/package-paths.js";

/** A query server couchbench can benchmark, and how a design doc reaches it. */
export interface QueryServerSpec {
  name: string;
  /** The design doc `language` that selects it. */
  language: string;
  description: string;
  /** Oldest CouchDB release that has it built in. */
  sinceVersion?: string;
  /** Registration for the CouchDB processes couchbench starts itself (docker, local). */
  envVar?: string;
  /** False for the floor server, which answers without running the views: its output is not compared. */
  runsViews: boolean;
}

export const QUERY_SERVERS: readonly QueryServerSpec[] = [
  { name: "javascript", language: "javascript", description: "couchjs with the server's default engine (SpiderMonkey)", runsViews: true },
  { name: "quickjs", language: "javascript_quickjs", description: "couchjs on QuickJS", sinceVersion: "3.4.0", runsViews: true },
  { name: "typescript", language: "typescript", description: "couchbench's TypeScript query server", envVar: "COUCHDB_QUERY_SERVER_TYPESCRIPT", runsViews: true },
  // The pull-request A/B's base build (.github/workflows/perf.yml): registered by the operator, until `--query-server` (issue 11) names any server.
  { name: "typescript_base", language: "typescript_base", description: "another build of the TypeScript query server (the PR A/B's base commit), registered as COUCHDB_QUERY_SERVER_TYPESCRIPT_BASE", envVar: "COUCHDB_QUERY_SERVER_TYPESCRIPT_BASE", runsViews: true },
  { name: "noop", language: "noop", description: "answers without running anything: CouchDB's own floor", envVar: "COUCHDB_QUERY_SERVER_NOOP", runsViews: false },
];

/** Benchmarked when --servers is not given (noop is the floor, asked for explicitly). */
export const DEFAULT_SERVERS = ["javascript", "quickjs", "typescript"] as const;

export function queryServer(name: string): QueryServerSpec | undefined {
  return QUERY_SERVERS.find((server) => server.name === name);
}

/** Paths of the two query servers couchbench ships, inside an installed couchbench. */
export const shippedServerScripts = { typescript: queryServerBundle, noop: noopQueryServerScript } as const;

/** `COUCHDB_QUERY_SERVER_<LANG>` variables that register couchbench's servers with a CouchDB it starts. */
export function queryServerEnvironment(scripts: Record<"typescript" | "noop", string>, node = "node"): Record<string, string> {
  return {
    COUCHDB_QUERY_SERVER_TYPESCRIPT: `${node} ${scripts.typescript}`,
    COUCHDB_QUERY_SERVER_NOOP: `${node} ${scripts.noop}`,
  };
}

/** Compares dotted versions numerically: `3.10.0` is newer than `3.4.3`. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
