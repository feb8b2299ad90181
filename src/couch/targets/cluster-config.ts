/**
 * What the nodes of a cluster couchbench starts itself share and what each has of its own, as
 * pure values and text: tested without starting anything. The `local` and `docker` cluster
 * targets only write these out and start the processes or containers.
 */
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { renderVmArgs, type LocalInstanceSettings } from "./local-config.js";

/** The same on every node: a cluster is one CouchDB to its clients. */
export interface ClusterSecrets {
  /** Erlang distribution cookie: nodes with different cookies refuse each other. */
  cookie: string;
  /** `[couchdb] uuid`: one server identity for replication checkpoints and `GET /`. */
  uuid: string;
  /** `[chttpd_auth] secret`: a session cookie from one node is valid on the others. */
  authSecret: string;
  adminUser: string;
  adminPassword: string;
  /**
   * The admin password hashed once, written to every node: CouchDB would otherwise hash a
   * plain-text password with a different salt on each node, and session cookies would not
   * carry over. CouchDB keeps a value that is already hashed as it is.
   */
  adminPasswordHash: string;
}

/** PBKDF2 iterations of the shared admin hash (the legacy `-pbkdf2-` scheme every 3.x release reads). */
const ADMIN_HASH_ITERATIONS = 10;

export function newClusterSecrets(adminUser: string): ClusterSecrets {
  const adminPassword = randomBytes(12).toString("hex");
  return {
    cookie: randomBytes(12).toString("hex"),
    uuid: randomBytes(16).toString("hex"),
    authSecret: randomBytes(16).toString("hex"),
    adminUser,
    adminPassword,
    adminPasswordHash: hashAdminPassword(adminPassword, randomBytes(16).toString("hex")),
  };
}

/** CouchDB's `-pbkdf2-<derived key>,<salt>,<iterations>` admin entry (SHA-1, 20-byte key). */
export function hashAdminPassword(password: string, salt: string, iterations = ADMIN_HASH_ITERATIONS): string {
  return `-pbkdf2-${pbkdf2Sync(password, salt, iterations, 20, "sha1").toString("hex")},${salt},${iterations}`;
}

/** Copies of each shard range a cluster of `nodes` keeps by default (CouchDB's own rule: at most 3). */
export function defaultReplicas(nodes: number): number {
  return Math.min(3, nodes);
}

/**
 * Erlang node names of a local cluster: `couchdb<i>-<token>@127.0.0.1`. The host's one epmd
 * registers every name, so the token (the first node's HTTP port) keeps two runs, or a
 * CouchDB already running as `couchdb@127.0.0.1`, from colliding.
 */
export function localNodeNames(token: string | number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `couchdb${i + 1}-${token}@127.0.0.1`);
}

/** One node of a local cluster: a local instance plus its pinned Erlang distribution port. */
export interface LocalClusterNode extends LocalInstanceSettings {
  distributionPort: number;
}

/**
 * The release's vm.args for one node: its name and the shared cookie (local-config's
 * rendering), and its distribution listener pinned to one free port, so nodes neither pick
 * each other's ports nor the range a CouchDB already running here uses.
 */
export function renderClusterVmArgs(releaseVmArgs: string, node: LocalClusterNode): string {
  return `${renderVmArgs(releaseVmArgs, node)}-kernel inet_dist_listen_min ${node.distributionPort}\n-kernel inet_dist_listen_max ${node.distributionPort}\n`;
}

/**
 * Settings every node shares, as an ini file read before the node's own local.ini: the
 * identity and session secret, and the default copies per range. (The admin, hashed once, is
 * each node's own `[admins]` entry: the local.ini CouchDB writes back to, or the image's env.)
 */
export function renderClusterIni(secrets: ClusterSecrets, nodes: number): string {
  return `[couchdb]
uuid = ${secrets.uuid}
single_node = false

[chttpd_auth]
secret = ${secrets.authSecret}

[cluster]
n = ${defaultReplicas(nodes)}
`;
}

/**
 * `GET /_membership`: nodes this node knows of (`all_nodes`) and the nodes of the cluster's node list
 * (`cluster_nodes`).
 */
export interface Membership {
  all_nodes: string[];
  cluster_nodes: string[];
}

/**
 * Why a node's membership is not yet the cluster we built, or undefined when it is: every
 * expected node connected and in the node list, and no stranger in either.
 */
export function membershipProblem(membership: Membership, expected: readonly string[]): string | undefined {
  const want = [...expected].sort();
  for (const field of ["cluster_nodes", "all_nodes"] as const) {
    const have = [...(membership[field] ?? [])].sort();
    const missing = want.filter((name) => !have.includes(name));
    const extra = have.filter((name) => !want.includes(name));
    if (missing.length > 0 || extra.length > 0) {
      return `${field} is [${have.join(", ")}]${missing.length ? `, missing ${missing.join(", ")}` : ""}${extra.length ? `, unexpected ${extra.join(", ")}` : ""}`;
    }
  }
  return undefined;
}

/** One container of a Docker cluster: the official entrypoint's variables and the shared ini. */
export interface DockerClusterNode {
  /** Network alias and `NODENAME`: the Erlang node is `couchdb@<alias>`. */
  alias: string;
  nodeName: string;
  environment: Record<string, string>;
}

/**
 * Where the shared ini goes in the container: CouchDB reads local.d's files in name order, and
 * this one sorts after the image's couchbench.ini, whose `single_node = true` it overrides.
 */
export const DOCKER_CLUSTER_INI = "/opt/couchdb/etc/local.d/couchbench_cluster.ini";

/**
 * Containers of a Docker cluster. The official entrypoint writes `-name couchdb@$NODENAME`
 * to vm.args, the cookie from `COUCHDB_ERLANG_COOKIE` to ~/.erlang.cookie, `COUCHDB_SECRET`
 * as `[chttpd_auth] secret` and the admin from `COUCHDB_USER`/`COUCHDB_PASSWORD`; the uuid
 * and `n` come from the shared ini. The alias has a dot: Erlang long names want one.
 */
export function dockerClusterNodes(secrets: ClusterSecrets, count: number, network: string): DockerClusterNode[] {
  return Array.from({ length: count }, (_, i) => {
    const alias = `couchdb${i + 1}.${network}`;
    return {
      alias,
      nodeName: `couchdb@${alias}`,
      environment: {
        NODENAME: alias,
        COUCHDB_ERLANG_COOKIE: secrets.cookie,
        COUCHDB_SECRET: secrets.authSecret,
        COUCHDB_USER: secrets.adminUser,
        COUCHDB_PASSWORD: secrets.adminPasswordHash,
      },
    };
  });
}
