import { basename, dirname, resolve } from "node:path";
import { packageRoot } from "../../core/package-paths.js";
import { customServerEnvironment, type ServerCommand } from "../query-servers.js";

/** The Dockerfile couchbench builds (also used by docker-compose.yml), relative to the package root. */
export const DOCKERFILE = "src/couch/docker/Dockerfile";
const COUCHDB_PORT = 5984;

export interface DockerLimits {
  cpus?: number;
  memoryBytes?: number;
}

/** What a user adds to couchbench's image: their own query servers, and what they need to run. */
export interface DockerExtras {
  /** `--query-server` servers, registered in the container's environment; their commands must exist in the image. */
  queryServers?: readonly ServerCommand[];
  /** `--docker-file`: a Dockerfile built `FROM ${COUCHBENCH_IMAGE}` (couchbench's image), its folder the build context. */
  dockerFile?: string;
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
  environment: Record<string, string>;
  exposedPort: number;
  /** testcontainers' units: CPUs and GiB. */
  resourcesQuota: { cpu?: number; memory?: number };
  healthPath: string;
  extension?: DockerExtension;
}

export function dockerContainerSettings(
  couchdbVersion: string,
  limits: DockerLimits,
  admin: { user: string; password: string },
  extras: DockerExtras = {},
): DockerContainerSettings {
  const resourcesQuota: DockerContainerSettings["resourcesQuota"] = {};
  if (limits.cpus !== undefined) resourcesQuota.cpu = limits.cpus;
  if (limits.memoryBytes !== undefined) resourcesQuota.memory = limits.memoryBytes / 1024 ** 3;
  const image = `couchbench-couchdb:${couchdbVersion}`;
  const dockerFile = extras.dockerFile && resolve(extras.dockerFile);
  return {
    buildContext: packageRoot,
    dockerfile: DOCKERFILE,
    buildArgs: { COUCHDB_VERSION: couchdbVersion },
    image,
    // Commands run inside the container, in CouchDB's root (/opt/couchdb): no host directory applies.
    environment: { COUCHDB_USER: admin.user, COUCHDB_PASSWORD: admin.password, ...customServerEnvironment(extras.queryServers ?? []) },
    exposedPort: COUCHDB_PORT,
    resourcesQuota,
    healthPath: "/_up",
    ...(dockerFile
      ? { extension: { buildContext: dirname(dockerFile), dockerfile: basename(dockerFile), buildArgs: { COUCHBENCH_IMAGE: image }, image: `${image}-custom` } }
      : {}),
  };
}
