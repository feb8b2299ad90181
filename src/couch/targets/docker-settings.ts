import { packageRoot } from "../../core/package-paths.js";

/** The Dockerfile couchbench builds (also used by docker-compose.yml), relative to the package root. */
export const DOCKERFILE = "src/couch/docker/Dockerfile";
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
  environment: Record<string, string>;
  exposedPort: number;
  /** testcontainers' units: CPUs and GiB. */
  resourcesQuota: { cpu?: number; memory?: number };
  healthPath: string;
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
    image: `couchbench-couchdb:${couchdbVersion}`,
    environment: { COUCHDB_USER: admin.user, COUCHDB_PASSWORD: admin.password },
    exposedPort: COUCHDB_PORT,
    resourcesQuota,
    healthPath: "/_up",
  };
}
