/**
 * Changing a running CouchDB's settings for a benchmark and putting them back: every node of
 * the cluster, through `_node/{node}/_config`, each change read back, and every node's value
 * from before the first change remembered so `restore` can write it back — also after Ctrl-C
 * (its client has no signal) or a failure.
 */
import { FailureError, UsageError } from "../core/errors.js";
import type { ConfigRestore } from "../results/results-format.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "./couch-client.js";
import { knownSetting, settingLabel, settingName, type ConfigSetting } from "./config-settings.js";

type PreviousValue = ConfigRestore["previous"][number];

export class NodeConfigSession {
  /** Per `node section/key`: the value before couchbench first changed it. */
  private readonly previous = new Map<string, PreviousValue>();
  /** Per `section/key`: the value couchbench last set on every node. */
  private readonly current = new Map<string, string | null>();

  private constructor(
    private readonly client: CouchClient,
    /** Without the signal: restoring must work after Ctrl-C. */
    private readonly cleanup: CouchClient,
    readonly nodes: readonly string[],
  ) {}

  /** The nodes are the cluster's (`_membership.cluster_nodes`); a server without it is one node, `_local`. */
  static async open(url: string, signal?: AbortSignal): Promise<NodeConfigSession> {
    const client = new CouchClient(url, signal);
    const membership = await client.membership().catch((error: unknown) => {
      signal?.throwIfAborted();
      if (error instanceof CouchHttpError) return undefined;
      throw error;
    });
    const nodes = membership?.cluster_nodes?.length ? membership.cluster_nodes : ["_local"];
    return new NodeConfigSession(client, new CouchClient(url), nodes);
  }

  /** Keys neither in couchbench's list nor set on the server: most likely a typo (CouchDB accepts any key). */
  async unknownKeys(settings: readonly ConfigSetting[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const setting of settings) {
      if (knownSetting(setting.section, setting.key)) continue;
      if ((await this.read(this.client, this.nodes[0]!, setting)) === null) unknown.push(settingName(setting));
    }
    return [...new Set(unknown)];
  }

  /**
   * Sets each setting on every node, unless couchbench already set that value; reads each back.
   * A value CouchDB refuses (4xx) is a UsageError naming the key.
   */
  async apply(settings: readonly ConfigSetting[]): Promise<ConfigSetting[]> {
    const changed: ConfigSetting[] = [];
    for (const setting of settings) {
      const name = settingName(setting);
      if (this.current.has(name) && this.current.get(name) === setting.value) continue;
      for (const node of this.nodes) {
        const id = `${node} ${name}`;
        if (!this.previous.has(id))
          this.previous.set(id, {
            node,
            section: setting.section,
            key: setting.key,
            value: await this.read(this.client, node, setting),
          });
        await this.write(this.client, node, setting);
      }
      this.current.set(name, setting.value);
      changed.push(setting);
    }
    return changed;
  }

  /** Settings a node was started with (an ini file): each node must read them as written. */
  async verifyStarted(settings: readonly ConfigSetting[]): Promise<void> {
    for (const node of this.nodes)
      for (const setting of settings) {
        const value = await this.read(this.client, node, setting);
        if (value !== setting.value)
          throw new FailureError(
            `--config ${settingLabel(setting)}: CouchDB was started with it, but ${node} reads ${value ?? "nothing"} — its ini chain did not take couchbench's settings file`,
          );
      }
  }

  /** What each node had before the first change. */
  get previousValues(): PreviousValue[] {
    return [...this.previous.values()];
  }

  /** Writes every node's previous values back and reads them back; safe to call twice. */
  async restore(): Promise<PreviousValue[]> {
    if (this.current.size === 0) return this.previousValues;
    for (const previous of this.previous.values())
      await this.write(this.cleanup, previous.node, {
        section: previous.section,
        key: previous.key,
        value: previous.value,
      });
    this.current.clear();
    return this.previousValues;
  }

  private async read(
    client: CouchClient,
    node: string,
    setting: Pick<ConfigSetting, "section" | "key">,
  ): Promise<string | null> {
    return client.nodeConfig(node, setting.section, setting.key).catch((error: unknown) => {
      if (error instanceof CouchHttpError && error.statusCode === 404) return null;
      throw error;
    });
  }

  private async write(client: CouchClient, node: string, setting: ConfigSetting): Promise<void> {
    await client.setNodeConfig(node, setting.section, setting.key, setting.value).catch((error: unknown) => {
      if (error instanceof CouchHttpError && error.statusCode >= 400 && error.statusCode < 500)
        throw new UsageError(
          `--config ${settingLabel(setting)}: CouchDB refused it on ${node} (${error.statusCode} ${error.error}: ${error.reason}) — check the section, key and value`,
        );
      throw error;
    });
    const readBack = await this.read(client, node, setting);
    if (readBack !== setting.value)
      throw new UsageError(
        `--config ${settingLabel(setting)}: ${node} reads it back as ${readBack ?? "unset"} — CouchDB did not keep the value`,
      );
    if (settingName(setting) === "couchdb/js_engine" && setting.value !== null) {
      // CouchDB falls back to its default engine for a name it does not have (couch_server:get_js_engine).
      const versions = (await client.nodeVersions(node)) as { javascript_engine?: { name?: string } };
      const engine = versions.javascript_engine?.name;
      if (engine !== undefined && engine !== setting.value)
        throw new UsageError(
          `--config ${settingLabel(setting)}: ${node} keeps running ${engine} (its _versions says so) — this CouchDB was built without ${setting.value}`,
        );
    }
  }
}

/** One line for a restore that did not go through. */
export function describeRestoreFailure(error: unknown): string {
  return error instanceof CouchHttpError || error instanceof UsageError ? error.message : describeNetworkError(error);
}
