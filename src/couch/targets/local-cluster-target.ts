import { clusterMeters } from "./cluster-meters.js";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { joinCluster } from "../cluster-setup.js";
import {
  localNodeNames,
  newClusterSecrets,
  renderClusterIni,
  renderClusterVmArgs,
  type LocalClusterNode,
} from "./cluster-config.js";
import { guardUntilReleased } from "./exit-guard.js";
import type { ServerCommand } from "../query-servers.js";
import type { ConfigSetting } from "../config-settings.js";
import { assertRelease, freePort, startConfigIni, startLocalNode, type LocalNode } from "./local-target.js";
import {
  ADMIN_USER,
  DEFAULT_START_TIMEOUT_MS,
  withStartConfigName,
  type CouchTarget,
  type StartedCouch,
} from "./target.js";

/**
 * `--target local --nodes N`: N nodes of one release on loopback, each with its own data
 * directory, HTTP port, Erlang node name and distribution port, sharing cookie, admin, uuid
 * and auth secret, joined into one cluster with CouchDB's own setup API. Benchmarks talk to
 * the first node; every node indexes the shard copies it holds.
 */
export class LocalClusterTarget implements CouchTarget {
  readonly kind = "local" as const;
  readonly id: string;
  readonly label: string;

  constructor(
    id: string,
    readonly couchdbBin: string,
    readonly nodes: number,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.local,
    /** `--query-server` servers, registered on every node. */
    private readonly queryServers: readonly ServerCommand[] = [],
    /** `--config` settings CouchDB reads only at start-up, on every node. */
    readonly startConfig: readonly ConfigSetting[] = [],
  ) {
    ({ id: this.id, label: this.label } = withStartConfigName(
      id,
      `local release ${couchdbBin}, ${nodes}-node cluster`,
      startConfig,
    ));
  }

  async start(onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch> {
    const releaseDir = resolve(dirname(this.couchdbBin), "..");
    await assertRelease(this.couchdbBin, releaseDir);
    const rootDir = await mkdtemp(join(tmpdir(), "couchbench-cluster-"));
    const secrets = newClusterSecrets(ADMIN_USER);
    const settings = await nodeSettings(rootDir, secrets, this.nodes);
    const clusterIni = join(rootDir, "cluster.ini");
    await writeFile(clusterIni, renderClusterIni(secrets, this.nodes));
    const settingsIni = (await startConfigIni(rootDir, this.startConfig)).sharedIniFiles ?? [];
    const releaseVmArgs = await readFile(join(releaseDir, "etc", "vm.args"), "utf8");

    const started: LocalNode[] = [];
    const pids: number[] = [];
    const release = guardUntilReleased(() => {
      for (const pid of pids) killGroupNow(pid);
      rmSync(rootDir, { recursive: true, force: true });
    });
    const stop = async () => {
      await Promise.allSettled(started.map((node) => node.stop()));
      await rm(rootDir, { recursive: true, force: true });
      release();
    };
    onProgress(
      `starting ${this.nodes} nodes of ${this.couchdbBin} on 127.0.0.1:${settings.map((node) => node.httpPort).join(",")}`,
    );
    const outcomes = await Promise.allSettled(
      settings.map(async (node, i) => {
        await mkdir(dirname(node.dataDir), { recursive: true });
        started[i] = await startLocalNode({
          couchdbBin: this.couchdbBin,
          releaseDir,
          workDir: dirname(node.dataDir),
          settings: node,
          password: secrets.adminPassword,
          vmArgs: renderClusterVmArgs(releaseVmArgs, node),
          sharedIniFiles: [clusterIni, ...settingsIni],
          startTimeoutMs: this.startTimeoutMs,
          queryServers: this.queryServers,
          ...(signal ? { signal } : {}),
          onSpawn: (pid) => pid !== undefined && pids.push(pid),
        });
      }),
    );
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    const logTail = async (lines = 20) =>
      (
        await Promise.all(started.map(async (node, i) => `[${settings[i]!.nodeName}]\n${await node.logTail(lines)}`))
      ).join("\n");
    try {
      if (failure) throw failure.reason;
      onProgress(`joining ${settings.map((node) => node.nodeName).join(", ")} into one cluster`);
      await joinCluster({
        nodeUrls: started.map((node) => node.url),
        nodeNames: settings.map((node) => node.nodeName),
        timeoutMs: this.startTimeoutMs,
      });
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      url: started[0]!.url,
      facts: { couchdbBin: this.couchdbBin },
      logTail,
      ...clusterMeters(started),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

async function nodeSettings(
  rootDir: string,
  secrets: ReturnType<typeof newClusterSecrets>,
  count: number,
): Promise<LocalClusterNode[]> {
  const ports: number[][] = [];
  for (let i = 0; i < count; i++) ports.push([await freePort(), await freePort(), await freePort()]);
  const names = localNodeNames(ports[0]![0]!, count);
  return ports.map(([httpPort, backendPort, distributionPort], i) => {
    const workDir = join(rootDir, `node${i + 1}`);
    return {
      nodeName: names[i]!,
      cookie: secrets.cookie,
      httpPort: httpPort!,
      backendPort: backendPort!,
      distributionPort: distributionPort!,
      dataDir: join(workDir, "data"),
      logFile: join(workDir, "couchdb.log"),
      adminUser: secrets.adminUser,
      adminPassword: secrets.adminPasswordHash,
      clustered: true,
    };
  });
}

/** Synchronous SIGKILL of a node's process group, for the exit guard. */
function killGroupNow(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
