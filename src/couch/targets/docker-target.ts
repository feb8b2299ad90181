import { randomBytes } from "node:crypto";
import { FailureError } from "../../core/errors.js";
import { withCredentials } from "../url.js";
import { dockerContainerSettings, type DockerExtras, type DockerLimits } from "./docker-settings.js";
import { DEFAULT_START_TIMEOUT_MS, type CouchTarget, type StartedCouch } from "./target.js";
import { waitForCouch } from "./wait-for-couch.js";

const ADMIN_USER = "couchbench";

/**
 * The official `couchdb:<version>` image with Node.js and couchbench's query servers added,
 * started by testcontainers. Its reaper removes the container even if couchbench is killed.
 */
export class DockerTarget implements CouchTarget {
  readonly kind = "docker" as const;
  readonly id: string;
  readonly label: string;

  constructor(
    readonly couchdbVersion: string,
    private readonly limits: DockerLimits,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.docker,
    private readonly extras: DockerExtras = {},
  ) {
    this.id = `docker-${couchdbVersion}`;
    const limitText = [limits.cpus && `${limits.cpus} CPUs`, limits.memoryBytes && `${(limits.memoryBytes / 1024 ** 3).toFixed(1)} GiB`].filter(Boolean).join(", ");
    this.label = `couchdb:${couchdbVersion} in Docker${limitText ? ` (${limitText})` : ""}`;
  }

  async start(onProgress: (message: string) => void): Promise<StartedCouch> {
    const admin = { user: ADMIN_USER, password: randomBytes(12).toString("hex") };
    const settings = dockerContainerSettings(this.couchdbVersion, this.limits, admin, this.extras);
    // Loaded on demand: the other targets need none of testcontainers.
    const { GenericContainer, Wait, getContainerRuntimeClient, ImageName } = await import("testcontainers");
    const runtime = await getContainerRuntimeClient().catch((error: unknown) => {
      throw new FailureError(
        `no Docker engine is reachable (${firstLine(error)}) — start Docker, or use --target local --couchdb-bin <release>/bin/couchdb, or --target url --url http://user:pass@host:5984`,
      );
    });
    onProgress(`building ${settings.image} from couchdb:${this.couchdbVersion} (first time: pulls the image)`);
    let image = await GenericContainer.fromDockerfile(settings.buildContext, settings.dockerfile)
      .withBuildArgs(settings.buildArgs)
      .build(settings.image, { deleteOnExit: false })
      .catch((error: unknown) => {
        throw new FailureError(`building ${settings.image} failed: ${firstLine(error)} — check that couchdb:${this.couchdbVersion} exists on Docker Hub and that \`npm run build\` has run`);
      });
    const { extension } = settings;
    if (extension) {
      onProgress(`building ${extension.image} from ${extension.buildContext}/${extension.dockerfile}`);
      image = await GenericContainer.fromDockerfile(extension.buildContext, extension.dockerfile)
        .withBuildArgs(extension.buildArgs)
        .build(extension.image, { deleteOnExit: false })
        .catch((error: unknown) => {
          throw new FailureError(`--docker-file ${extension.buildContext}/${extension.dockerfile}: building it failed: ${firstLine(error)} — it must start with ARG COUCHBENCH_IMAGE and FROM \${COUCHBENCH_IMAGE}`);
        });
    }
    onProgress(`starting ${extension?.image ?? settings.image}`);
    const container = await image
      .withEnvironment(settings.environment)
      .withExposedPorts(settings.exposedPort)
      .withResourcesQuota(settings.resourcesQuota)
      .withWaitStrategy(Wait.forHttp(settings.healthPath, settings.exposedPort).withBasicCredentials(admin.user, admin.password))
      .withStartupTimeout(this.startTimeoutMs)
      .start()
      .catch((error: unknown) => {
        throw new FailureError(`couchdb:${this.couchdbVersion} container did not start: ${firstLine(error)}`);
      });
    const url = withCredentials(`http://${container.getHost()}:${container.getMappedPort(settings.exposedPort)}`, admin.user, admin.password);
    const logTail = async (lines = 20) => {
      const chunks: string[] = [];
      const stream = await container.logs({ tail: lines });
      return new Promise<string>((resolveLogs) => {
        stream.on("data", (chunk: Buffer | string) => chunks.push(chunk.toString()));
        stream.on("end", () => resolveLogs(chunks.join("")));
        setTimeout(() => resolveLogs(chunks.join("")), 2000).unref();
      });
    };
    const stop = async () => {
      await container.stop({ timeout: 10_000 }).catch(() => undefined);
    };
    await waitForCouch(url, { timeoutMs: this.startTimeoutMs, logTail });
    // The official image's registry digest pins the exact CouchDB build that was measured.
    const base = await runtime.image.inspect(ImageName.fromString(`couchdb:${this.couchdbVersion}`)).catch(() => undefined);
    const digest = base?.RepoDigests?.[0] ?? base?.Id;
    return {
      url,
      facts: {
        image: extension?.image ?? settings.image,
        ...(digest ? { imageDigest: digest } : {}),
        ...(this.limits.cpus !== undefined ? { cpus: this.limits.cpus } : {}),
        ...(this.limits.memoryBytes !== undefined ? { memoryBytes: this.limits.memoryBytes } : {}),
      },
      logTail,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!;
}
