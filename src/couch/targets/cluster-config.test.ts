import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { packageRoot } from "../../test-support/paths.js";
import {
  defaultReplicas,
  DOCKER_CLUSTER_INI,
  dockerClusterNodes,
  hashAdminPassword,
  localNodeNames,
  membershipProblem,
  newClusterSecrets,
  renderClusterIni,
  renderClusterVmArgs,
  type LocalClusterNode,
} from "./cluster-config.js";
import { DOCKERFILE } from "./docker-settings.js";
import { renderLocalIni } from "./local-config.js";

const secrets = newClusterSecrets("couchbench");
const names = localNodeNames(41000, 3);
const node = (i: number): LocalClusterNode => ({
  nodeName: names[i]!,
  cookie: secrets.cookie,
  httpPort: 41000 + 10 * i,
  backendPort: 41001 + 10 * i,
  distributionPort: 41002 + 10 * i,
  dataDir: `/tmp/c/node${i + 1}/data`,
  logFile: `/tmp/c/node${i + 1}/couchdb.log`,
  adminUser: secrets.adminUser,
  adminPassword: secrets.adminPasswordHash,
  clustered: true,
});

test("local node names are distinct, carry the run's token, and are not the default couchdb@127.0.0.1", () => {
  assert.deepEqual(names, ["couchdb1-41000@127.0.0.1", "couchdb2-41000@127.0.0.1", "couchdb3-41000@127.0.0.1"]);
  assert.notDeepEqual(localNodeNames(42000, 3), names);
});

test("each node's vm.args has its own name and distribution port, the shared cookie, and keeps the release's flags", () => {
  const release =
    "-name couchdb@127.0.0.1\n-setcookie monster\n-kernel inet_dist_use_interface {127,0,0,1}\n+Bd -noinput\n";
  const rendered = [0, 1, 2].map((i) => renderClusterVmArgs(release, node(i)));
  rendered.forEach((vmArgs, i) => {
    assert.match(vmArgs, new RegExp(`^-name ${names[i]!.replace(/\./g, "\\.")}\n-setcookie ${secrets.cookie}\n`));
    assert.match(
      vmArgs,
      new RegExp(`-kernel inet_dist_listen_min ${41002 + 10 * i}\n-kernel inet_dist_listen_max ${41002 + 10 * i}\n$`),
    );
    assert.match(vmArgs, /-kernel inet_dist_use_interface \{127,0,0,1\}\n\+Bd -noinput\n/);
    assert.doesNotMatch(vmArgs, /monster|couchdb@127/);
  });
});

test("the shared ini gives every node one uuid and auth secret, makes it a cluster node, and n = min(3, nodes)", () => {
  const ini = renderClusterIni(secrets, 5);
  for (const line of [`uuid = ${secrets.uuid}`, "single_node = false", `secret = ${secrets.authSecret}`, "n = 3"])
    assert.ok(ini.includes(`${line}\n`), `missing "${line}"`);
  assert.match(renderClusterIni(secrets, 2), /^n = 2$/m);
  assert.deepEqual([1, 2, 3, 4].map(defaultReplicas), [1, 2, 3, 3]);
  assert.doesNotMatch(ini, new RegExp(secrets.adminPassword), "no plain-text password in a shared file");
  // The node's own local.ini comes last in the chain: it must not turn the node back into a single node.
  const local = renderLocalIni(node(0));
  assert.match(local, /^single_node = false$/m);
  assert.match(local, new RegExp(`^couchbench = ${secrets.adminPasswordHash.replace(/[-,]/g, "\\$&")}$`, "m"));
  assert.match(renderLocalIni({ ...node(0), clustered: false }), /^single_node = true$/m);
});

test("the admin is hashed once in CouchDB's -pbkdf2- form, so every node holds the same hash", () => {
  assert.match(secrets.adminPasswordHash, /^-pbkdf2-[0-9a-f]{40},[0-9a-f]{32},10$/);
  assert.equal(hashAdminPassword("pw", "salt"), hashAdminPassword("pw", "salt"));
  assert.notEqual(hashAdminPassword("pw", "salt"), hashAdminPassword("pw", "pepper"));
  const other = newClusterSecrets("couchbench");
  assert.notEqual(other.cookie, secrets.cookie, "every cluster gets fresh secrets");
  assert.notEqual(other.uuid, secrets.uuid);
});

test("membership is accepted only when every expected node is in cluster_nodes and connected, and nobody else", () => {
  const full = { all_nodes: [...names].reverse(), cluster_nodes: names };
  assert.equal(membershipProblem(full, names), undefined);
  assert.equal(
    membershipProblem({ all_nodes: names, cluster_nodes: names.slice(0, 2) }, names),
    `cluster_nodes is [${names.slice(0, 2).join(", ")}], missing ${names[2]}`,
  );
  assert.match(
    membershipProblem({ all_nodes: names.slice(0, 1), cluster_nodes: names }, names)!,
    /^all_nodes is .*, missing couchdb2-41000@127\.0\.0\.1, couchdb3-41000@127\.0\.0\.1$/,
  );
  assert.match(
    membershipProblem({ all_nodes: [...names, "couchdb@127.0.0.1"], cluster_nodes: names }, names)!,
    /unexpected couchdb@127\.0\.0\.1$/,
  );
  assert.match(
    membershipProblem({ all_nodes: ["nonode@nohost"], cluster_nodes: ["nonode@nohost"] }, names)!,
    /missing .* unexpected nonode@nohost/,
  );
});

test("docker nodes: one NODENAME each (a name with a dot), one cookie, secret and admin hash for all", () => {
  const nodes = dockerClusterNodes(secrets, 3, "couchbench");
  assert.deepEqual(
    nodes.map((n) => n.nodeName),
    ["couchdb@couchdb1.couchbench", "couchdb@couchdb2.couchbench", "couchdb@couchdb3.couchbench"],
  );
  assert.deepEqual(
    nodes.map((n) => n.environment.NODENAME),
    nodes.map((n) => n.alias),
  );
  for (const { environment } of nodes) {
    assert.equal(environment.COUCHDB_ERLANG_COOKIE, secrets.cookie);
    assert.equal(environment.COUCHDB_SECRET, secrets.authSecret);
    assert.equal(environment.COUCHDB_USER, "couchbench");
    assert.equal(environment.COUCHDB_PASSWORD, secrets.adminPasswordHash);
  }
});

test("the shared ini lands in local.d after the image's couchbench.ini, whose single_node = true it overrides", async () => {
  const dockerfile = await readFile(join(packageRoot, DOCKERFILE), "utf8");
  const imageIni = /^COPY \S+ (\/opt\/couchdb\/etc\/local\.d\/\S+)$/m.exec(dockerfile)?.[1];
  assert.ok(imageIni, "the Dockerfile copies an ini into local.d");
  assert.equal(
    DOCKER_CLUSTER_INI.slice(0, DOCKER_CLUSTER_INI.lastIndexOf("/")),
    imageIni.slice(0, imageIni.lastIndexOf("/")),
  );
  assert.deepEqual(
    [DOCKER_CLUSTER_INI, imageIni].sort(),
    [imageIni, DOCKER_CLUSTER_INI],
    "CouchDB reads local.d in name order",
  );
});

test("docker-compose.cluster.yml: three nodes of the same Dockerfile, own NODENAMEs, shared cookie and secret, loopback ports", async () => {
  const compose = parse(await readFile(join(packageRoot, "docker-compose.cluster.yml"), "utf8"), { merge: true }) as {
    services: Record<
      string,
      {
        build?: { dockerfile: string };
        environment: Record<string, string>;
        ports?: string[];
        entrypoint?: string[];
        networks: unknown;
      }
    >;
  };
  const nodes = ["couchdb1", "couchdb2", "couchdb3"].map((name) => compose.services[name]!);
  assert.deepEqual(
    nodes.map((n) => n.build?.dockerfile),
    [DOCKERFILE, DOCKERFILE, DOCKERFILE],
  );
  assert.deepEqual(
    nodes.map((n) => n.environment.NODENAME),
    ["couchdb1.couchbench", "couchdb2.couchbench", "couchdb3.couchbench"],
  );
  assert.equal(new Set(nodes.map((n) => n.environment.COUCHDB_ERLANG_COOKIE)).size, 1);
  assert.equal(new Set(nodes.map((n) => n.environment.COUCHDB_SECRET)).size, 1);
  for (const n of nodes) {
    assert.match(n.ports![0]!, /^127\.0\.0\.1:\d+:5984$/);
    assert.match(
      n.entrypoint!.at(-1)!,
      new RegExp(`cp \\S+ ${DOCKER_CLUSTER_INI} && exec /docker-entrypoint.sh`),
      "the shared ini goes where the target copies it",
    );
  }
  assert.equal(new Set(nodes.map((n) => n.ports![0])).size, 3);
  assert.ok(!nodes.some((n) => n.ports![0]!.includes(":5984:")), "5984 stays free for a CouchDB already running");
  assert.equal(compose.services.join!.environment.NODES, nodes.map((n) => n.environment.NODENAME).join(","));
});
