import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { dockerEngineRuns } from "../../test-support/live-docker.js";
import { packageRoot } from "../../test-support/paths.js";
import { runCli } from "../../test-support/run-cli.js";
import {
  DOCKERFILE,
  dockerContainerSettings,
  IMAGE_REPOSITORY,
  NODE_IMAGE,
  publishAddress,
} from "./docker-settings.js";
import { DockerTarget } from "./docker-target.js";

const dockerfile = await readFile(join(packageRoot, DOCKERFILE), "utf8");

test("the container is the derived image of the requested version, with admin, node name, port and limits", () => {
  const settings = dockerContainerSettings(
    "3.4.3",
    { cpus: 2, memoryBytes: 4 * 1024 ** 3 },
    { user: "u", password: "p" },
  );
  assert.equal(settings.image, "couchbench-couchdb:3.4.3");
  assert.deepEqual(settings.baseImages, ["couchdb:3.4.3", "node:20-bookworm-slim"]);
  assert.deepEqual(settings.buildArgs, { COUCHDB_VERSION: "3.4.3" });
  assert.deepEqual(
    settings.environment,
    { COUCHDB_USER: "u", COUCHDB_PASSWORD: "p", NODENAME: "127.0.0.1" },
    "the entrypoint turns NODENAME into vm.args' -name",
  );
  assert.equal(settings.exposedPort, 5984);
  assert.deepEqual(settings.resourcesQuota, { cpu: 2, memory: 4 });
  assert.deepEqual(
    settings.hostConfig,
    { PortBindings: { "5984/tcp": [{ HostIp: "127.0.0.1", HostPort: "0" }] }, MemorySwap: 4 * 1024 ** 3 },
    "loopback only; swap no larger than memory",
  );
  const unlimited = dockerContainerSettings("3.5.2", {}, { user: "u", password: "p" });
  assert.deepEqual(unlimited.resourcesQuota, {});
  assert.equal(unlimited.hostConfig.MemorySwap, undefined);
});

test("the port is published only on the address couchbench reaches the engine at", () => {
  assert.equal(
    publishAddress([
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ]),
    "127.0.0.1",
  );
  // couchbench in a container (/.dockerenv): testcontainers reaches the host through the bridge gateway.
  assert.equal(publishAddress([{ address: "172.17.0.1", family: 4 }]), "172.17.0.1");
  assert.equal(publishAddress([{ address: "::1", family: 6 }]), "127.0.0.1");
  assert.equal(publishAddress([]), "127.0.0.1");
  const inContainer = dockerContainerSettings("3.4.3", {}, { user: "u", password: "p" }, {}, "172.17.0.1");
  assert.deepEqual(inContainer.hostConfig.PortBindings, { "5984/tcp": [{ HostIp: "172.17.0.1", HostPort: "0" }] });
});

test("--query-server servers are registered in the container as given; --docker-file builds on couchbench's image", () => {
  const settings = dockerContainerSettings(
    "3.4.3",
    {},
    { user: "u", password: "p" },
    {
      queryServers: [{ name: "py", command: "python3 /opt/qs/qs.py" }],
      dockerFile: "images/python/Dockerfile",
    },
  );
  assert.equal(settings.environment.COUCHDB_QUERY_SERVER_PY, "python3 /opt/qs/qs.py");
  assert.deepEqual(settings.extension, {
    buildContext: join(process.cwd(), "images/python"),
    dockerfile: "Dockerfile",
    buildArgs: { COUCHBENCH_IMAGE: "couchbench-couchdb:3.4.3" },
    image: "couchbench-couchdb:3.4.3-custom",
  });
  assert.equal(dockerContainerSettings("3.4.3", {}, { user: "u", password: "p" }).extension, undefined);
});

test("the image enables CouchDB's native Erlang views", async () => {
  const ini = await readFile(join(packageRoot, "src/couch/docker/couchbench.ini"), "utf8");
  assert.match(ini, /^\[native_query_servers\]\nenable_erlang_query_server = true$/m);
  assert.match(dockerfile, /^COPY src\/couch\/docker\/couchbench\.ini \/opt\/couchdb\/etc\/local\.d\//m);
});

test("the Dockerfile adds node and both query servers to the official image and registers them", () => {
  assert.match(dockerfile, /^ARG COUCHDB_VERSION=\d+\.\d+\.\d+$/m);
  assert.ok(
    dockerfile.includes(`ARG NODE_IMAGE=${NODE_IMAGE}\n`),
    "the base images checked before a run are the Dockerfile's",
  );
  assert.match(dockerfile, /^FROM couchdb:\$\{COUCHDB_VERSION\}$/m);
  assert.match(dockerfile, /^COPY --from=node \/usr\/local\/bin\/node \/usr\/local\/bin\/node$/m);
  assert.match(
    dockerfile,
    /COUCHDB_QUERY_SERVER_TYPESCRIPT="\/usr\/local\/bin\/node \/opt\/couchbench\/query-server\.js"/,
  );
  assert.match(
    dockerfile,
    /COUCHDB_QUERY_SERVER_NOOP="\/usr\/local\/bin\/node \/opt\/couchbench\/noop-query-server\.js"/,
  );
  for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
    const built = source!.startsWith("dist/");
    assert.ok(built || existsSync(join(packageRoot, source!)), `${source} is in the build context`);
  }
  assert.ok(
    existsSync(join(packageRoot, "dist/query-server.js")),
    "npm run build produced the bundle the image copies",
  );
  assert.ok(existsSync(join(packageRoot, "dist/bench/qs/noop-query-server.js")));
});

test("docker-compose.yml builds the same Dockerfile and publishes CouchDB on loopback only", async () => {
  const compose = parse(await readFile(join(packageRoot, "docker-compose.yml"), "utf8")) as {
    services: {
      couchdb: {
        build: { context: string; dockerfile: string; args: Record<string, string> };
        image: string;
        ports: string[];
        environment: Record<string, string>;
      };
    };
  };
  const service = compose.services.couchdb;
  assert.equal(service.build.context, ".");
  assert.equal(service.build.dockerfile, DOCKERFILE);
  assert.match(service.build.args.COUCHDB_VERSION!, /3\.\d+\.\d+/);
  assert.deepEqual(service.ports, ["127.0.0.1:5984:5984"]);
  assert.ok(service.environment.COUCHDB_USER && service.environment.COUCHDB_PASSWORD);
  assert.equal(service.environment.NODENAME, "127.0.0.1", "without a node name _node/_local/_versions fails");
  assert.doesNotMatch(
    service.image,
    new RegExp(`^${IMAGE_REPOSITORY}:`),
    "compose does not retag the images couchbench run builds",
  );
});

test("without a Docker engine, run --target docker says so and names the other targets", (t) => {
  if (dockerEngineRuns()) {
    t.skip("a Docker engine is running here: this test is for machines without one");
    return;
  }
  const result = runCli(
    ["run", "--target", "docker", "--sizes", "10", "--out", join(tmpdir(), "couchbench-no-docker")],
    { timeoutMs: 120_000 },
  );
  assert.equal(result.status, 1, result.stderr);
  assert.match(
    result.stderr,
    /couchbench: no Docker engine is reachable .* — start Docker, or use --target local --couchdb-bin .*, or --target url --url/,
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test("the plan's label counts CPUs in English", () => {
  assert.equal(
    new DockerTarget("3.4.3", { cpus: 1, memoryBytes: 2 * 1024 ** 3 }).label,
    "couchdb:3.4.3 in Docker (1 CPU, 2.0 GiB)",
  );
  assert.equal(new DockerTarget("3.4.3", { cpus: 2 }).label, "couchdb:3.4.3 in Docker (2 CPUs)");
});
