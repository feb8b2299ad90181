import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { ContainerRuntimeClient, GenericContainer, StartedTestContainer, WaitStrategy } from "testcontainers";
import { FailureError } from "../../core/errors.js";
import type { ConfigSetting } from "../config-settings.js";
import { countOf } from "../../core/plural.js";
import { withCredentials } from "../url.js";
import {
  dockerContainerSettings,
  publishAddress,
  type DockerContainerSettings,
  type DockerExtras,
  type DockerLimits,
} from "./docker-settings.js";
import { killOnExit } from "./kill-on-exit.js";
import { existsSync } from "node:fs";
import { indexDiskBytes } from "./index-disk.js";
import { couchProcesses, localNodeProcesses, pageBytes, parseProcStats } from "./process-cpu.js";
import {
  ADMIN_USER,
  DEFAULT_START_TIMEOUT_MS,
  withStartConfigName,
  type CouchTarget,
  type NodeProcesses,
  type StartedCouch,
} from "./target.js";
import { waitForCouch } from "./wait-for-couch.js";

/**
 * The official `couchdb:<version>` image with Node.js and couchbench's query servers added,
 * started by testcontainers. Its reaper removes the container even if couchbench is killed.
 */
export class DockerTarget implements CouchTarget {
  readonly kind = "docker" as const;
  readonly id: string;
  readonly label: string;
  /** The image is checked and built once per run: by `prepare`, before the first measurement. */
  private image?: Promise<ContainerRuntimeClient>;

  constructor(
    readonly couchdbVersion: string,
    private readonly limits: DockerLimits,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.docker,
    /** `--query-server` and `--docker-file`: the user's servers, and the image layer they need. */
    private readonly extras: DockerExtras = {},
  ) {
    const cpus = limits.cpus && countOf(limits.cpus, "CPU");
    const limitText = [cpus, limits.memoryBytes && `${(limits.memoryBytes / 1024 ** 3).toFixed(1)} GiB`]
      .filter(Boolean)
      .join(", ");
    ({ id: this.id, label: this.label } = withStartConfigName(
      `docker-${couchdbVersion}`,
      `couchdb:${couchdbVersion} in Docker${limitText ? ` (${limitText})` : ""}`,
      extras.startConfig ?? [],
    ));
    this.startConfig = extras.startConfig ?? [];
  }

  readonly startConfig: readonly ConfigSetting[];

  async prepare(onProgress: (message: string) => void): Promise<void> {
    await (this.image ??= this.buildImage(onProgress));
  }

  async start(onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch> {
    const runtime = await (this.image ??= this.buildImage(onProgress));
    signal?.throwIfAborted();
    const admin = { user: ADMIN_USER, password: randomBytes(12).toString("hex") };
    const publishOn = publishAddress(runtime.info.containerRuntime.hostIps);
    const settings = dockerContainerSettings(this.couchdbVersion, this.limits, admin, this.extras, publishOn);
    // From the moment Docker creates the container it is ours to remove: on Ctrl-C (the signal),
    // on any failure below, and on process exit (a second Ctrl-C does not wait for the rest; that
    // hook needs the docker CLI, the reaper covers hosts without it).
    let containerId: string | undefined;
    const exitHook = killOnExit(
      () =>
        containerId &&
        execFileSync("docker", ["rm", "--force", "--volumes", containerId], { stdio: "ignore", timeout: 15_000 }),
    );
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        signal?.removeEventListener("abort", onAbort);
        if (containerId)
          await runtime.container
            .getById(containerId)
            .remove({ force: true, v: true })
            .catch(() => undefined);
        exitHook.release();
      })());
    const onAbort = () => void stop();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      onProgress(`starting ${imageToStart(settings)}`);
      const container = await startContainer(settings, this.startTimeoutMs, (id) => {
        containerId = id;
        signal?.throwIfAborted();
      }).catch((error: unknown) => {
        signal?.throwIfAborted();
        throw new FailureError(`couchdb:${this.couchdbVersion} container did not start: ${firstLine(error)}`);
      });
      const url = withCredentials(
        // The port is bound on this address only; testcontainers' getHost() may name another (localhost).
        `http://${publishOn}:${container.getMappedPort(settings.exposedPort)}`,
        admin.user,
        admin.password,
      );
      const logTail = (lines = 20) => containerLogTail(container, lines);
      await waitForCouch(url, { timeoutMs: this.startTimeoutMs, logTail, ...(signal ? { signal } : {}) });
      const meters = await containerMeters(runtime, container, this.id);
      return {
        url,
        facts: await this.facts(runtime, settings),
        logTail,
        ...meters,
        stop,
        [Symbol.asyncDispose]: stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  }

  /**
   * Checks the engine, testcontainers' reaper and both base images, naming whichever really
   * failed, then builds the derived image from what is on this machine.
   */
  private async buildImage(onProgress: (message: string) => void): Promise<ContainerRuntimeClient> {
    const settings = dockerContainerSettings(this.couchdbVersion, this.limits, { user: "", password: "" }, this.extras);
    // Loaded on demand: the other targets need none of testcontainers.
    const { GenericContainer, getContainerRuntimeClient, getReaper, ImageName } = await import("testcontainers");
    const runtime = await getContainerRuntimeClient().catch((error: unknown) => {
      throw new FailureError(
        `no Docker engine is reachable (${firstLine(error)}) — start Docker, or use --target local --couchdb-bin <release>/bin/couchdb, or --target url --url http://user:pass@host:5984`,
      );
    });
    await getReaper(runtime).catch(async (error: unknown) => {
      const { REAPER_IMAGE } = await import("testcontainers/build/reaper/reaper.js");
      throw new FailureError(
        `testcontainers could not start its reaper container ${REAPER_IMAGE}: ${firstLine(error)} — on a host without a registry, load that image (docker load), or set TESTCONTAINERS_RYUK_DISABLED=true to run without the reaper (then nothing removes couchbench's containers if couchbench itself is killed with SIGKILL or crashes; Ctrl-C still does)`,
      );
    });
    for (const base of settings.baseImages) {
      if (await runtime.image.exists(ImageName.fromString(base))) continue;
      onProgress(`pulling ${base} (not on this machine yet)`);
      await runtime.image.pull(ImageName.fromString(base)).catch((error: unknown) => {
        throw new FailureError(
          `pulling ${base} failed: ${firstLine(error)} — check that ${base} exists on Docker Hub, or load it with docker load on a host without a registry`,
        );
      });
    }
    onProgress(`building ${settings.image} from couchdb:${this.couchdbVersion}`);
    await GenericContainer.fromDockerfile(settings.buildContext, settings.dockerfile)
      .withBuildArgs(settings.buildArgs)
      .build(settings.image, { deleteOnExit: false })
      .catch((error: unknown) => {
        throw new FailureError(
          `building ${settings.image} failed: ${firstLine(error)} — check that \`npm run build\` has run (the image copies dist/)`,
        );
      });
    const { extension } = settings;
    if (extension) {
      onProgress(`building ${extension.image} from ${extension.buildContext}/${extension.dockerfile}`);
      await GenericContainer.fromDockerfile(extension.buildContext, extension.dockerfile)
        .withBuildArgs(extension.buildArgs)
        .build(extension.image, { deleteOnExit: false })
        .catch((error: unknown) => {
          throw new FailureError(
            `--docker-file ${extension.buildContext}/${extension.dockerfile}: building it failed: ${firstLine(error)} — it must start with ARG COUCHBENCH_IMAGE and FROM \${COUCHBENCH_IMAGE}`,
          );
        });
    }
    return runtime;
  }

  private async facts(
    runtime: ContainerRuntimeClient,
    settings: DockerContainerSettings,
  ): Promise<StartedCouch["facts"]> {
    const { ImageName } = await import("testcontainers");
    // The official image's registry digest pins the exact CouchDB build that was measured.
    const base = await runtime.image
      .inspect(ImageName.fromString(`couchdb:${this.couchdbVersion}`))
      .catch(() => undefined);
    const digest = base?.RepoDigests?.[0] ?? base?.Id;
    return {
      image: imageToStart(settings),
      ...(digest ? { imageDigest: digest } : {}),
      ...(this.limits.cpus !== undefined ? { cpus: this.limits.cpus } : {}),
      ...(this.limits.memoryBytes !== undefined ? { memoryBytes: this.limits.memoryBytes } : {}),
    };
  }
}

/** Where CouchDB keeps its databases in the official image. */
const CONTAINER_DATA_DIR = "/opt/couchdb/data";

/**
 * The container's processes and index files. On a Linux host whose /proc shows the container's
 * init (Docker Engine on the same kernel): read from the host — its processes are the host's, and
 * its data directory is `/proc/<pid>/root/opt/couchdb/data` (root, or the container's user, may
 * read it) — with no `docker exec` per sample. Elsewhere (Docker Desktop's VM): processes by one
 * `docker exec` reading the container's /proc (its shell is not below the Erlang VM, so not
 * counted), and no index disk figure.
 */
export async function containerMeters(
  runtime: ContainerRuntimeClient,
  container: StartedTestContainer,
  node: string,
): Promise<Pick<StartedCouch, "processes" | "indexDiskBytes">> {
  const inspected = await runtime.container
    .getById(container.getId())
    .inspect()
    .catch(() => undefined);
  const hostPid = inspected?.State?.Pid;
  if (hostPid && existsSync(`/proc/${hostPid}/stat`)) {
    const dataDir = `/proc/${hostPid}/root${CONTAINER_DATA_DIR}`;
    return {
      processes: localNodeProcesses(hostPid, node),
      ...(existsSync(dataDir) ? { indexDiskBytes: (db: string) => Promise.resolve(indexDiskBytes(dataDir, db)) } : {}),
    };
  }
  return { processes: () => execContainerProcesses(container, node) };
}

async function execContainerProcesses(
  container: StartedTestContainer,
  node: string,
): Promise<NodeProcesses[] | undefined> {
  const result = await container.exec(["sh", "-c", "cat /proc/[0-9]*/stat 2>/dev/null"]).catch(() => undefined);
  const found = result && couchProcesses(parseProcStats(result.output.split("\n")), 1, pageBytes());
  return found ? [{ node, ...found }] : undefined;
}

/**
 * Starts the container without testcontainers' wait: `waitForCouch` polls `/_up` instead, and
 * Ctrl-C interrupts it. `onCreated` receives the id before the container starts.
 */
async function startContainer(
  settings: DockerContainerSettings,
  startTimeoutMs: number,
  onCreated: (id: string) => void,
): Promise<StartedTestContainer> {
  const { GenericContainer } = await import("testcontainers");
  class CouchContainer extends withHostConfig(GenericContainer) {
    protected override containerCreated(id: string): Promise<void> {
      onCreated(id);
      return Promise.resolve();
    }
  }
  const startedIsEnough: WaitStrategy = {
    waitUntilReady: async () => {},
    withStartupTimeout: () => startedIsEnough,
    isStartupTimeoutSet: () => true,
    getStartupTimeout: () => startTimeoutMs,
  };
  const container: GenericContainer = new CouchContainer(imageToStart(settings))
    .withEnvironment(settings.environment)
    .withExposedPorts(settings.exposedPort)
    .withResourcesQuota(settings.resourcesQuota)
    .withHostConfig(settings.hostConfig)
    .withCopyContentToContainer(settings.files)
    .withWaitStrategy(startedIsEnough);
  return container.start();
}

/**
 * testcontainers publishes ports on every interface and has no setter for Docker's own
 * `HostConfig`: this adds one, for `PortBindings` with a `HostIp` (see publishAddress) and `MemorySwap`.
 */
export function withHostConfig(Base: typeof GenericContainer) {
  return class extends Base {
    withHostConfig(patch: Partial<DockerContainerSettings["hostConfig"]>): this {
      Object.assign(this.hostConfig, patch);
      return this;
    }
  };
}

/** couchbench's image, or the user's `--docker-file` layer on top of it. */
function imageToStart(settings: DockerContainerSettings): string {
  return settings.extension?.image ?? settings.image;
}

/**
 * testcontainers follows the log stream: take what arrives within 2 s (a ref'd timer, or nothing keeps the process
 * waiting), then close it.
 */
export async function containerLogTail(container: StartedTestContainer, lines: number): Promise<string> {
  const chunks: string[] = [];
  const stream = await container.logs({ tail: lines });
  return new Promise<string>((resolveLogs) => {
    const done = () => {
      clearTimeout(timer);
      stream.destroy();
      resolveLogs(chunks.join(""));
    };
    const timer = setTimeout(done, 2000);
    stream.on("data", (chunk: Buffer | string) => chunks.push(chunk.toString()));
    stream.on("end", done);
  });
}

/** Whether testcontainers finds a Docker engine (socket, DOCKER_HOST, ~/.testcontainers.properties). */
export async function dockerEngineReachable(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  return getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
}

export function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split("\n")[0]!
    .trim();
}
