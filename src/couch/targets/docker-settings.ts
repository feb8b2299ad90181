import { basename, dirname, resolve } from "node:path";
import { packageRoot } from "../../core/package-paths.js";
import { renderSettingsIni, type ConfigSetting } from "../config-settings.js";
import { customServerEnvironment, type ServerCommand } from "../query-servers.js";

/** The Dockerfile couchbench builds (also used by docker-compose.yml), relative to the package root. */
export const DOCKERFILE = "src/couch/docker/Dockerfile";
/** The Dockerfile's default `NODE_IMAGE`: the node binary is copied from it. */
export const NODE_IMAGE = "node:20-bookworm-slim";
/**
 * Tag prefix of the images `couchbench run` builds; docker-compose.yml uses another one, so neither retags the other's.
 */
export const IMAGE_REPOSITORY = "couchbench-couchdb";
/**
 * The official image's vm.args has no `-name`: the node is `nonode@nohost` and
 * `_node/_local/_versions` fails. Its entrypoint adds `-name couchdb@$NODENAME`.
 */
export const NODENAME = "127.0.0.1";
const COUCHDB_PORT = 5984;
/**
 * Where `--config` start-up settings go in the container: the official image's ini chain reads `etc/default.d/*.ini`
 * at start, before local.ini (which CouchDB writes runtime changes to).
 */
export const START_CONFIG_INI = "/opt/couchdb/etc/default.d/90-couchbench-settings.ini";

export interface DockerLimits {
  cpus?: number;
  memoryBytes?: number;
}

/** What a user adds to couchbench's image: their own query servers, and what they need to run. */
export interface DockerExtras {
  /** `--query-server` servers, registered in the container's environment; their commands must exist in the image. */
  queryServers?: readonly ServerCommand[];
  /**
   * `--docker-file`: a Dockerfile built `FROM ${COUCHBENCH_IMAGE}` (couchbench's image), its folder the build context.
   */
  dockerFile?: string;
  /** `--config` settings CouchDB reads only at start-up, written to START_CONFIG_INI. */
  startConfig?: readonly ConfigSetting[];
}

/** The user's image on top of couchbench's: built after it, started instead of it. */
export interface DockerExtension {
  buildContext: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  image: string;
}

/** Everything about the container except starting it: pure, so it is tested without Docker. */
export interface DockerContainerSettings {
  buildContext: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  /** Local tag of the derived image. */
  image: string;
  /** Images the build starts from: checked (and pulled if missing) before the first measurement. */
  baseImages: string[];
  environment: Record<string, string>;
  exposedPort: number;
  /** testcontainers' units: CPUs and GiB. */
  resourcesQuota: { cpu?: number; memory?: number };
  extension?: DockerExtension;
  /** Files written into the container before it starts (the start-up settings' ini). */
  files: Array<{ content: string; target: string }>;
  /**
   * Docker's own settings testcontainers has no builder for: the port published on loopback only
   * (testcontainers publishes on every interface), and swap limited to the memory limit (Docker
   * otherwise allows as much swap again, and `--memory 2g` would mean 4 GiB).
   */
  hostConfig: { PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>; MemorySwap?: number };
}

/**
 * The host address a container's port is published on: the address couchbench reaches the
 * engine's host at (testcontainers' `hostIps`), so the admin port is on no other interface —
 * 127.0.0.1 for a local engine; the bridge gateway (e.g. 172.17.0.1) when couchbench itself runs
 * in a container, where the host's loopback is out of reach; the remote host's address for a
 * remote engine.
 */
export function publishAddress(hostIps: ReadonlyArray<{ address: string; family: number }>): string {
  const ipv4 = hostIps.find((ip) => ip.family === 4)?.address;
  return ipv4 === undefined || ipv4.startsWith("127.") ? "127.0.0.1" : ipv4;
}

export function dockerContainerSettings(
  couchdbVersion: string,
  limits: DockerLimits,
  admin: { user: string; password: string },
  extras: DockerExtras = {},
  publishOn = "127.0.0.1",
): DockerContainerSettings {
  const resourcesQuota: DockerContainerSettings["resourcesQuota"] = {};
  if (limits.cpus !== undefined) resourcesQuota.cpu = limits.cpus;
  if (limits.memoryBytes !== undefined) resourcesQuota.memory = limits.memoryBytes / 1024 ** 3;
  const image = `${IMAGE_REPOSITORY}:${couchdbVersion}`;
  const dockerFile = extras.dockerFile && resolve(extras.dockerFile);
  return {
    buildContext: packageRoot,
    dockerfile: DOCKERFILE,
    buildArgs: { COUCHDB_VERSION: couchdbVersion },
    image,
    baseImages: [`couchdb:${couchdbVersion}`, NODE_IMAGE],
    // Commands run inside the container, in CouchDB's root (/opt/couchdb): no host directory applies.
    environment: {
      COUCHDB_USER: admin.user,
      COUCHDB_PASSWORD: admin.password,
      NODENAME,
      ...customServerEnvironment(extras.queryServers ?? []),
    },
    exposedPort: COUCHDB_PORT,
    resourcesQuota,
    files: extras.startConfig?.length
      ? [{ content: renderSettingsIni(extras.startConfig), target: START_CONFIG_INI }]
      : [],
    hostConfig: {
      PortBindings: { [`${COUCHDB_PORT}/tcp`]: [{ HostIp: publishOn, HostPort: "0" }] },
      ...(resourcesQuota.memory !== undefined ? { MemorySwap: Math.ceil(resourcesQuota.memory * 1024 ** 3) } : {}),
    },
    ...(dockerFile
      ? {
          extension: {
            buildContext: dirname(dockerFile),
            dockerfile: basename(dockerFile),
            buildArgs: { COUCHBENCH_IMAGE: image },
            image: `${image}-custom`,
          },
        }
      : {}),
  };
}
