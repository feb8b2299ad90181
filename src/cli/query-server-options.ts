/**
 * The options that choose query servers, shared by every command that starts builds on a
 * CouchDB (`run`, and `advise`): `--servers`, `--query-server name=command` (repeatable) and,
 * for the docker target, `--docker-file` with what those commands need in the image.
 */
import type { Command } from "commander";
import {
  DEFAULT_SERVERS,
  parseServerCommand,
  QUERY_SERVERS,
  queryServer,
  type ServerCommand,
} from "../couch/query-servers.js";
import type { TargetKind } from "../results/results-format.js";
import { UsageError } from "../core/errors.js";
import { collect, list } from "./option-values.js";

/** The options as commander hands them over. */
export interface RawQueryServerOptions {
  servers?: string;
  queryServer?: string[];
  dockerFile?: string;
}

export interface QueryServerChoice {
  /** Benchmarked servers, by name, in the order given. */
  servers: string[];
  /** Every `--query-server`, registered with the CouchDB couchbench starts. */
  queryServers: ServerCommand[];
  dockerFile?: string;
}

export function addQueryServerOptions(command: Command): Command {
  return command
    .option(
      "--servers <names>",
      `query servers, comma-separated: ${QUERY_SERVERS.map((s) => `${s.name} (${s.description})`).join(", ")}, or a --query-server name (default ${DEFAULT_SERVERS.join(",")} and every --query-server)`,
    )
    .option(
      "--query-server <name=command>",
      "your own query server, as CouchDB runs it (repeatable): registered as COUCHDB_QUERY_SERVER_<NAME> by the docker and local targets; design docs get language <name>",
      collect,
      [],
    )
    .option(
      "--docker-file <path>",
      "docker: a Dockerfile starting `ARG COUCHBENCH_IMAGE` / `FROM ${COUCHBENCH_IMAGE}` that adds what your --query-server commands need (built in its own folder)",
    );
}

/** Names checked against the built-in servers and the `--query-server`s; the rules between the options. */
export function resolveQueryServerChoice(raw: RawQueryServerOptions, targetKind: TargetKind): QueryServerChoice {
  const queryServers = (raw.queryServer ?? []).map((value) => parseServerCommand("--query-server", value));
  const names = queryServers.map((server) => server.name);
  const builtIn = names.find((name) => queryServer(name));
  if (builtIn)
    throw new UsageError(
      `--query-server ${builtIn}: ${builtIn} is a built-in server — give yours another name, e.g. my_${builtIn}`,
    );
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new UsageError(`--query-server ${twice}: given twice — give each server its own name`);
  const servers = raw.servers ? list("--servers", raw.servers) : [...DEFAULT_SERVERS, ...names];
  for (const server of servers) {
    if (!queryServer(server, queryServers)) {
      const known = [...QUERY_SERVERS.map((spec) => spec.name), ...names];
      throw new UsageError(
        `--servers: unknown query server '${server}' — use any of ${known.join(", ")}, or register yours with --query-server ${server}=<command>`,
      );
    }
  }
  if (raw.dockerFile !== undefined && targetKind !== "docker") {
    throw new UsageError(
      "--docker-file extends the Docker image; it needs --target docker (elsewhere, install your server where CouchDB runs)",
    );
  }
  return {
    servers: [...new Set(servers)],
    queryServers,
    ...(raw.dockerFile !== undefined ? { dockerFile: raw.dockerFile } : {}),
  };
}
