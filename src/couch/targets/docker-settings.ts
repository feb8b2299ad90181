import { packageRoot } from "../../core/package-paths.js";

/** The Dockerfile couchbench builds (also used by docker-compose.yml), relative to the package root. */
export const DOCKERFILE = "src/couch/docker/Dockerfile";
/** The Dockerfile's default `NODE_IMAGE`: the node binary is copied from it. */
export const NODE_IMAGE = "node:20-bookworm-slim";
/** Tag prefix of the images `couchbench run` builds; docker-compose.yml uses another one, so neither retags the other's. */
export const IMAGE_REPOSITORY = "couchbench-couchdb";
/**
 * The official image's vm.args has no `-name`: the node is `nonode@nohost` and
 * `_node/_local/_versions` fails. Its entrypoint adds `-name couchdb@$NODENAME`.
 */
export const NODENAME = "127.0.0.1";
const COUCHDB_PORT = 5984;

export interface DockerLimits {
  cpus?: number;
  memoryBytes?: number;
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
  /**
   * Docker's own settings testcontainers has no builder for: the port published on loopback only
   * (testcontainers publishes on every interface), and swap limited to the memory limit (Docker
   * otherwise allows as much swap again, and `--memory 2g` would mean 4 GiB).
   */
  hostConfig: { PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>; MemorySwap?: number };
}

export function dockerContainerSettings(
  couchdbVersion: string,
  limits: DockerLimits,
  admin: { user: string; password: string },
): DockerContainerSettings {
  const resourcesQuota: DockerContainerSettings["resourcesQuota"] = {};
  if (limits.cpus !== undefined) resourcesQuota.cpu = limits.cpus;
  if (limits.memoryBytes !== undefined) resourcesQuota.memory = limits.memoryBytes / 1024 ** 3;
  return {
    buildContext: packageRoot,
    dockerfile: DOCKERFILE,
    buildArgs: { COUCHDB_VERSION: couchdbVersion },
    image: `${IMAGE_REPOSITORY}:${couchdbVersion}`,
    baseImages: [`couchdb:${couchdbVersion}`, NODE_IMAGE],
    environment: { COUCHDB_USER: admin.user, COUCHDB_PASSWORD: admin.password, NODENAME },
    exposedPort: COUCHDB_PORT,
    resourcesQuota,
    hostConfig: {
      PortBindings: { [`${COUCHDB_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "0" }] },
      ...(resourcesQuota.memory !== undefined ? { MemorySwap: Math.ceil(resourcesQuota.memory * 1024 ** 3) } : {}),
    },
  };
}
