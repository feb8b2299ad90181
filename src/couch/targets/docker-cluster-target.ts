import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { StartedNetwork, StartedTestContainer } from "testcontainers";
import { FailureError } from "../../core/errors.js";
import { joinCluster } from "../cluster-setup.js";
import { withCredentials } from "../url.js";
import { DOCKER_CLUSTER_INI, dockerClusterNodes, newClusterSecrets, renderClusterIni } from "./cluster-config.js";
import { dockerContainerSettings, publishAddress, type DockerLimits } from "./docker-settings.js";
import { clusterMeters } from "./cluster-meters.js";
import { containerLogTail, containerMeters, firstLine, withHostConfig } from "./docker-target.js";
import { guardUntilReleased } from "./exit-guard.js";
import {
  ADMIN_USER,
  DEFAULT_START_TIMEOUT_MS,
  withStartConfigName,
  type CouchTarget,
  type StartedCouch,
} from "./target.js";
import type { ConfigSetting } from "../config-settings.js";

/** The cluster's DNS domain inside its own network: Erlang long node names need a dot. */
const CLUSTER_DOMAIN = "couchbench";

/**
 * `--target docker --nodes N`: N containers of the derived image on a user-defined network of
 * their own, each with its own `NODENAME`, sharing cookie, admin, uuid and auth secret,
 * joined with CouchDB's cluster setup API. Each node's port is published on one address only (publishAddress).
 * Containers and network are removed on stop, and, should couchbench exit first (Ctrl-C
 * during start-up), by `docker rm -f` from its exit guard.
 */
export class DockerClusterTarget implements CouchTarget {
  readonly kind = "docker" as const;
  readonly id: string;
  readonly label: string;

  constructor(
    readonly couchdbVersion: string,
    readonly nodes: number,
    private readonly limits: DockerLimits,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.docker,
    /** `--config` settings CouchDB reads only at start-up, on every node. */
    readonly startConfig: readonly ConfigSetting[] = [],
  ) {
    ({ id: this.id, label: this.label } = withStartConfigName(
      `docker-${couchdbVersion}`,
      `couchdb:${couchdbVersion} in Docker, ${nodes}-node cluster`,
      startConfig,
    ));
  }

  async start(onProgress: (message: string) => void): Promise<StartedCouch> {
    const secrets = newClusterSecrets(ADMIN_USER);
    const { GenericContainer, Network, Wait, getContainerRuntimeClient, ImageName } = await import("testcontainers");
    const runtime = await getContainerRuntimeClient().catch((error: unknown) => {
      throw new FailureError(
        `no Docker engine is reachable (${firstLine(error)}) — start Docker, or use --target local --couchdb-bin <release>/bin/couchdb --nodes ${this.nodes}`,
      );
    });
    const publishOn = publishAddress(runtime.info.containerRuntime.hostIps);
    const settings = dockerContainerSettings(
      this.couchdbVersion,
      this.limits,
      { user: ADMIN_USER, password: secrets.adminPasswordHash },
      { startConfig: this.startConfig },
      publishOn,
    );
    onProgress(`building ${settings.image} from couchdb:${this.couchdbVersion}`);
    await GenericContainer.fromDockerfile(settings.buildContext, settings.dockerfile)
      .withBuildArgs(settings.buildArgs)
      .build(settings.image, { deleteOnExit: false })
      .catch((error: unknown) => {
        throw new FailureError(
          `building ${settings.image} failed: ${firstLine(error)} — check that couchdb:${this.couchdbVersion} exists and that \`npm run build\` has run`,
        );
      });

    const token = randomBytes(4).toString("hex");
    const names = Array.from({ length: this.nodes }, (_, i) => `couchbench-${token}-couchdb${i + 1}`);
    let network: StartedNetwork | undefined;
    const containers: StartedTestContainer[] = [];
    const release = guardUntilReleased(() => {
      execFileSync("docker", ["rm", "--force", ...names], { stdio: "ignore" });
      if (network) execFileSync("docker", ["network", "rm", network.getName()], { stdio: "ignore" });
    });
    const stop = async () => {
      await Promise.allSettled(containers.map((container) => container.stop({ timeout: 10_000 })));
      await network?.stop().catch(() => undefined);
      release();
    };
    const nodes = dockerClusterNodes(secrets, this.nodes, CLUSTER_DOMAIN);
    const Container = withHostConfig(GenericContainer);
    try {
      network = await new Network().start();
      onProgress(`starting ${this.nodes} containers of ${settings.image} on network ${network.getName()}`);
      await Promise.all(
        nodes.map(async (node, i) => {
          containers.push(
            await new Container(settings.image)
              .withName(names[i]!)
              .withNetwork(network!)
              .withNetworkAliases(node.alias)
              .withEnvironment(node.environment)
              .withCopyContentToContainer([
                { content: renderClusterIni(secrets, this.nodes), target: DOCKER_CLUSTER_INI },
                ...settings.files,
              ])
              .withExposedPorts(settings.exposedPort)
              .withHostConfig({ PortBindings: settings.hostConfig.PortBindings })
              .withResourcesQuota(settings.resourcesQuota)
              .withWaitStrategy(
                Wait.forHttp("/_up", settings.exposedPort).withBasicCredentials(ADMIN_USER, secrets.adminPassword),
              )
              .withStartupTimeout(this.startTimeoutMs)
              .start(),
          );
        }),
      );
      containers.sort(
        (a, b) => names.indexOf(a.getName().replace(/^\//, "")) - names.indexOf(b.getName().replace(/^\//, "")),
      );
      const urls = containers.map((container) =>
        withCredentials(
          // Each port is bound on publishOn only; testcontainers' getHost() may name another (localhost).
          `http://${publishOn}:${container.getMappedPort(settings.exposedPort)}`,
          ADMIN_USER,
          secrets.adminPassword,
        ),
      );
      onProgress(`joining ${nodes.map((node) => node.nodeName).join(", ")} into one cluster`);
      await joinCluster({
        nodeUrls: urls,
        nodeNames: nodes.map((node) => node.nodeName),
        timeoutMs: this.startTimeoutMs,
      });
      const base = await runtime.image
        .inspect(ImageName.fromString(`couchdb:${this.couchdbVersion}`))
        .catch(() => undefined);
      const digest = base?.RepoDigests?.[0] ?? base?.Id;
      const logTail = async (lines = 20) =>
        (
          await Promise.all(
            containers.map(
              async (container) => `[${container.getName()}]\n${await containerLogTail(container, lines)}`,
            ),
          )
        ).join("\n");
      return {
        url: urls[0]!,
        facts: {
          image: settings.image,
          ...(digest ? { imageDigest: digest } : {}),
          ...(this.limits.cpus !== undefined ? { cpus: this.limits.cpus } : {}),
          ...(this.limits.memoryBytes !== undefined ? { memoryBytes: this.limits.memoryBytes } : {}),
        },
        logTail,
        ...clusterMeters(
          await Promise.all(containers.map((container, i) => containerMeters(runtime, container, nodes[i]!.nodeName))),
        ),
        stop,
        [Symbol.asyncDispose]: stop,
      };
    } catch (error) {
      await stop();
      throw error instanceof FailureError
        ? error
        : new FailureError(
            `the ${this.nodes}-node couchdb:${this.couchdbVersion} cluster did not start: ${firstLine(error)}`,
          );
    }
  }
}
