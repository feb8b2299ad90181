import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../../core/errors.js";
import {
  customServerEnvironment,
  queryServerEnvironment,
  shippedServerScripts,
  type ServerCommand,
} from "../query-servers.js";
import { renderSettingsIni, type ConfigSetting } from "../config-settings.js";
import { withCredentials } from "../url.js";
import { renderLocalIni, renderVmArgs, type LocalInstanceSettings } from "./local-config.js";
import { killOnExit } from "./kill-on-exit.js";
import { indexDiskBytes } from "./index-disk.js";
import { localNodeProcesses } from "./process-cpu.js";
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
 * A CouchDB release (`bin/couchdb`) started on free loopback ports with a temporary data
 * directory, its own node name and ini chain: it runs beside any CouchDB already on the
 * machine and leaves nothing behind.
 */
export class LocalTarget implements CouchTarget {
  readonly kind = "local" as const;
  readonly id: string;
  readonly label: string;

  constructor(
    id: string,
    readonly couchdbBin: string,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.local,
    /** `--query-server` servers; their commands run in the directory couchbench was started in. */
    private readonly queryServers: readonly ServerCommand[] = [],
    /** `--config` settings CouchDB reads only at start-up. */
    readonly startConfig: readonly ConfigSetting[] = [],
  ) {
    ({ id: this.id, label: this.label } = withStartConfigName(id, `local release ${couchdbBin}`, startConfig));
  }

  async prepare(): Promise<void> {
    await assertRelease(this.couchdbBin, releaseDirOf(this.couchdbBin));
  }

  async start(onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch> {
    const releaseDir = releaseDirOf(this.couchdbBin);
    await assertRelease(this.couchdbBin, releaseDir);
    signal?.throwIfAborted();
    const workDir = await mkdtemp(join(tmpdir(), "couchbench-couchdb-"));
    const [httpPort, backendPort] = [await freePort(), await freePort()];
    const settings: LocalInstanceSettings = {
      nodeName: `couchbench-${httpPort}@127.0.0.1`,
      cookie: randomBytes(12).toString("hex"),
      httpPort,
      backendPort,
      dataDir: join(workDir, "data"),
      logFile: join(workDir, "couchdb.log"),
      adminUser: ADMIN_USER,
      adminPassword: randomBytes(12).toString("hex"),
    };
    const vmArgs = renderVmArgs(await readFile(join(releaseDir, "etc", "vm.args"), "utf8"), settings);
    onProgress(`starting ${this.couchdbBin} on 127.0.0.1:${httpPort}`);
    const node = await startLocalNode({
      couchdbBin: this.couchdbBin,
      releaseDir,
      workDir,
      settings,
      password: settings.adminPassword,
      vmArgs,
      startTimeoutMs: this.startTimeoutMs,
      queryServers: this.queryServers,
      ...(await startConfigIni(workDir, this.startConfig)),
      ...(signal ? { signal } : {}),
    });
    return {
      url: node.url,
      facts: { couchdbBin: this.couchdbBin },
      logTail: node.logTail,
      processes: node.processes,
      indexDiskBytes: node.indexDiskBytes,
      stop: node.stop,
      [Symbol.asyncDispose]: node.stop,
    };
  }
}

/** One CouchDB process of a release, in a work directory of its own that stopping it removes. */
export interface LocalNodeRequest {
  couchdbBin: string;
  releaseDir: string;
  workDir: string;
  settings: LocalInstanceSettings;
  /** The admin's plain-text password, for the node's URL (settings may hold its hash). */
  password: string;
  vmArgs: string;
  /** Ini files read between the release's default.ini and the node's own local.ini. */
  sharedIniFiles?: string[];
  startTimeoutMs: number;
  /** `--query-server` servers; their commands run in the directory couchbench was started in. */
  queryServers?: readonly ServerCommand[];
  /** Told the process group's pid as soon as it exists, before `/_up` answers. */
  onSpawn?: (pid: number | undefined) => void;
  /** Ctrl-C: stops the node at once, also while it is still starting. */
  signal?: AbortSignal;
}

export interface LocalNode {
  url: string;
  logTail(lines?: number): Promise<string>;
  processes(): Promise<NodeProcesses[] | undefined>;
  indexDiskBytes(db: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Writes the node's vm.args and local.ini, starts it and waits for `/_up`; stops it again if it never answers. */
export async function startLocalNode(request: LocalNodeRequest): Promise<LocalNode> {
  const { workDir, settings, releaseDir } = request;
  await writeFile(join(workDir, "vm.args"), request.vmArgs);
  await writeFile(join(workDir, "local.ini"), renderLocalIni(settings));
  const iniFiles = [
    join(releaseDir, "etc", "default.ini"),
    ...(request.sharedIniFiles ?? []),
    join(workDir, "local.ini"),
  ];
  const child = spawn(request.couchdbBin, [], {
    cwd: workDir,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      ...queryServerEnvironment(shippedServerScripts, process.execPath),
      ...customServerEnvironment(request.queryServers ?? [], process.cwd()),
      COUCHDB_ARGS_FILE: join(workDir, "vm.args"),
      COUCHDB_INI_FILES: iniFiles.join(" "),
    },
  });
  request.onSpawn?.(child.pid);
  // From here on the node exists: a second Ctrl-C (process exit) or the signal must end it.
  const exitHook = killOnExit(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
  const { signal } = request;
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = withCredentials(`http://127.0.0.1:${settings.httpPort}`, settings.adminUser, request.password);
  const logTail = async (lines = 20) =>
    tailOf(`${await readFile(settings.logFile, "utf8").catch(() => "")}${stderr.join("")}`, lines);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      signal?.removeEventListener("abort", onAbort);
      await killGroup(child);
      exitHook.release();
      await rm(workDir, { recursive: true, force: true });
    })());
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await waitForCouch(url, {
      timeoutMs: request.startTimeoutMs,
      logTail,
      isDead: () => exitDescription(child),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    logTail,
    processes: localNodeProcesses(child.pid!, settings.nodeName),
    indexDiskBytes: (db) => Promise.resolve(indexDiskBytes(settings.dataDir, db)),
    stop,
  };
}

/** Start-up settings as an ini file in the node's work directory, read before its own local.ini. */
export async function startConfigIni(
  dir: string,
  startConfig: readonly ConfigSetting[],
): Promise<{ sharedIniFiles?: string[] }> {
  if (startConfig.length === 0) return {};
  const path = join(dir, "couchbench-settings.ini");
  await writeFile(path, renderSettingsIni(startConfig));
  return { sharedIniFiles: [path] };
}

export function releaseDirOf(bin: string): string {
  return resolve(dirname(bin), "..");
}

export async function assertRelease(bin: string, releaseDir: string): Promise<void> {
  try {
    await access(bin);
    await access(join(releaseDir, "etc", "vm.args"));
  } catch {
    throw new UsageError(
      `--couchdb-bin ${bin}: not a CouchDB release's bin/couchdb (expected etc/vm.args beside bin/) — point it at <release>/bin/couchdb`,
    );
  }
}

function exitDescription(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `exit code ${child.exitCode}`;
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  return undefined;
}

/** CouchDB runs as a tree (erlexec, beam, epmd-less children, couchjs): end the whole group. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || exitDescription(child)) return;
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const forced = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(forced);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function tailOf(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
