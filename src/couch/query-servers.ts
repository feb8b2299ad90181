import { UsageError } from "../core/errors.js";
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
  /**
   * Runs views written in its own language, not JavaScript: a design doc is built by it only
   * when `<name>.<language>.json` beside the design doc gives its sources (see design-docs.ts).
   */
  ownSources?: boolean;
  /** The shell command of a server given with `--query-server name=command`. */
  command?: string;
}

export const QUERY_SERVERS: readonly QueryServerSpec[] = [
  {
    name: "javascript",
    language: "javascript",
    description: "couchjs with the server's default engine (SpiderMonkey)",
    runsViews: true,
  },
  {
    name: "quickjs",
    language: "javascript_quickjs",
    description: "couchjs on QuickJS",
    sinceVersion: "3.4.0",
    runsViews: true,
  },
  {
    name: "typescript",
    language: "typescript",
    description: "couchbench's TypeScript query server",
    envVar: "COUCHDB_QUERY_SERVER_TYPESCRIPT",
    runsViews: true,
  },
  // The pull-request A/B's base build (.github/workflows/perf.yml): registered by the operator, until `--query-server`
  // (issue 11) names any server.
  {
    name: "noop",
    language: "noop",
    description: "answers without running anything: CouchDB's own floor",
    envVar: "COUCHDB_QUERY_SERVER_NOOP",
    runsViews: false,
  },
  {
    name: "erlang",
    language: "erlang",
    description:
      "CouchDB's native Erlang views, inside CouchDB with no process or JSON in between: the floor of a view build",
    runsViews: true,
    ownSources: true,
  },
  {
    name: "mango",
    language: "query",
    description: "Mango JSON indexes (POST /db/_index) of the views' fields, mapped inside CouchDB",
    sinceVersion: "2.0.0",
    runsViews: true,
  },
];

/** The design doc language of Mango indexes (`mango_native_proc`). */
export const MANGO_LANGUAGE = "query";

/** Benchmarked when --servers is not given (noop is the floor, asked for explicitly). */
export const DEFAULT_SERVERS = ["javascript", "quickjs", "typescript"] as const;

/** A built-in server, or one of `custom` (the servers given with `--query-server`). */
export function queryServer(name: string, custom: readonly ServerCommand[] = []): QueryServerSpec | undefined {
  const own = custom.find((server) => server.name === name);
  return own ? customQueryServer(own) : QUERY_SERVERS.find((server) => server.name === name);
}

/** A query server named on the command line: run's `--query-server` and qs-bench's `--server`. */
export interface ServerCommand {
  /** Also the design doc `language` and, upper-cased, the `COUCHDB_QUERY_SERVER_<NAME>` suffix. */
  name: string;
  /** A shell command, as CouchDB runs it: `exec <command>` through /bin/sh. */
  command: string;
}

/**
 * `name=command`, the one way servers are named on every command line. The name must work
 * as a design doc language and in an environment variable name, so it is kept to `[a-z0-9_]`.
 */
export function parseServerCommand(flag: string, value: string): ServerCommand {
  const match = /^([^=\s]+)=(.*\S.*)$/s.exec(value);
  if (!match)
    throw new UsageError(
      `${flag} ${value}: expected name=command — e.g. ${flag} typescript="node dist/query-server.js"`,
    );
  const name = match[1]!;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new UsageError(
      `${flag} ${value}: the name must be lower-case letters, digits and _ (it is the design doc language and names COUCHDB_QUERY_SERVER_<NAME>) — e.g. ${flag} my_server=…`,
    );
  }
  return { name, command: match[2]!.trim() };
}

/** The spec of a server given with `--query-server`: its name is its language. */
export function customQueryServer({ name, command }: ServerCommand): QueryServerSpec {
  return {
    name,
    language: name,
    description: `your server: ${command}`,
    envVar: queryServerEnvVar(name),
    runsViews: true,
    command,
  };
}

/** The variable CouchDB reads a language's command from (it upper-cases the language to look it up). */
export function queryServerEnvVar(name: string): string {
  return `COUCHDB_QUERY_SERVER_${name.toUpperCase()}`;
}

/**
 * Registrations of `--query-server` servers for a CouchDB couchbench starts. CouchDB runs
 * `exec <command>` through /bin/sh in its own root directory; `cwd` (the local target: where
 * couchbench was started) makes a relative command mean what it meant on the command line,
 * through a shell of its own, since `exec` takes no `cd … &&`.
 */
export function customServerEnvironment(servers: readonly ServerCommand[], cwd?: string): Record<string, string> {
  return Object.fromEntries(
    servers.map(({ name, command }) => [
      queryServerEnvVar(name),
      cwd ? `/bin/sh -c ${shellQuote(`cd ${shellQuote(cwd)} && exec ${command}`)}` : command,
    ]),
  );
}

/** A path as one word of a /bin/sh command. */
export function shellQuote(word: string): string {
  return /^[\w./:=@+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Paths of the two query servers couchbench ships, inside an installed couchbench. */
export const shippedServerScripts = { typescript: queryServerBundle, noop: noopQueryServerScript } as const;

/** `COUCHDB_QUERY_SERVER_<LANG>` variables that register couchbench's servers with a CouchDB it starts. */
export function queryServerEnvironment(
  scripts: Record<"typescript" | "noop", string>,
  node = "node",
): Record<string, string> {
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
