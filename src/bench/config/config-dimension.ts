/**
 * `--config` on one started target, for any benchmark that builds under settings (run, advise,
 * ingest): warn about unknown keys, apply a combination's run-time settings
 * before its builds, and put every node's previous values back at the end — also after Ctrl-C
 * or a failure — recording what happened. The benchmark only calls `open`, `apply` and `finish`:
 *
 *   // cli: addConfigOptions(command); const combinations = resolveConfigCombinations(options, targetKind);
 *   // targets: createTargets already starts one per start-up setting (target.startConfig).
 *   const settings = await ConfigDimension.open(couch.url, target, combinations, recorder, signal);
 *   try {
 *     for (const combination of combinations) { await settings.apply(combination); … measure … }
 *   } finally {
 *     await settings.finish(); // before the target stops
 *   }
 */
import { splitByScope, settingLabel, type ConfigCombination, type ConfigSetting } from "../../couch/config-settings.js";
import { describeRestoreFailure, NodeConfigSession } from "../../couch/node-config.js";
import type { ConfigRestore, RunNote, TargetInfo, TargetKind } from "../../results/results-format.js";

/** Where the dimension writes what it did: the benchmark's results file and its progress output. */
export interface ConfigRecorder {
  note(level: RunNote["level"], message: string): Promise<void>;
  /** The target's restore record, rewritten as it changes (`pending` from the first change on). */
  restore(record: ConfigRestore): Promise<void>;
  progress(message: string): void;
}

/** A results store the dimension records into: notes, and the restore on the target it already holds. */
interface TargetStore<T extends TargetInfo> {
  readonly snapshot: { readonly targets: readonly T[] };
  setTarget(target: T): Promise<void>;
  addNote(note: Omit<RunNote, "at">): Promise<void>;
}

/** The recorder of a benchmark that writes a results file with `targets` and `notes` (run, ingest). */
export function storeRecorder<T extends TargetInfo>(
  store: TargetStore<T>,
  targetId: string,
  progress: (message: string) => void,
): ConfigRecorder {
  return {
    note: (level, message) => store.addNote({ level, targetId, message }),
    restore: async (configRestore) => {
      const info = store.snapshot.targets.find((known) => known.id === targetId);
      if (info) await store.setTarget({ ...info, configRestore });
    },
    progress,
  };
}

export class ConfigDimension {
  private constructor(
    private readonly session: NodeConfigSession,
    private readonly targetKind: TargetKind,
    private readonly recorder: ConfigRecorder,
  ) {}

  /** Opens the target's nodes and records a warning for each key that looks like a typo. */
  static async open(
    url: string,
    target: { kind: TargetKind; startConfig?: readonly ConfigSetting[] },
    combinations: readonly ConfigCombination[],
    recorder: ConfigRecorder,
    signal?: AbortSignal,
  ): Promise<ConfigDimension> {
    const session = await NodeConfigSession.open(url, signal);
    await session.verifyStarted(target.startConfig ?? []);
    for (const name of await session.unknownKeys(combinations.flat())) {
      const message = `--config ${name}: not set on the server and not one of the settings couchbench knows — CouchDB accepts any key, so check its spelling`;
      recorder.progress(`warning: ${message}`);
      await recorder.note("warning", message);
    }
    return new ConfigDimension(session, target.kind, recorder);
  }

  /**
   * Sets the combination's run-time settings on every node (those read at start-up were set when the target started);
   * without one, puts the server's own values back (advise's variants that are not about a setting).
   */
  async apply(combination: ConfigCombination | undefined): Promise<void> {
    if (!combination) {
      await this.session.restore();
      return;
    }
    const changed = await this.session.apply(splitByScope(combination).live);
    if (changed.length === 0) return;
    await this.recorder.restore({ status: "pending", previous: this.session.previousValues });
    this.recorder.progress(`set ${changed.map(settingLabel).join(", ")} on ${this.session.nodes.length} node(s)`);
  }

  /**
   * Puts every node's previous values back. A node couchbench started and already stopped (Ctrl-C stops it at once)
   * is `discarded`: nothing of it outlives the run. A server given by URL that cannot be restored is an error note.
   */
  async finish(): Promise<ConfigRestore> {
    // Nothing was changed (a refused first value changes nothing before it is refused).
    if (this.session.previousValues.length === 0) return { status: "restored", previous: [] };
    const at = () => new Date().toISOString();
    let record: ConfigRestore;
    try {
      const previous = await this.session.restore();
      record = { status: "restored", previous, at: at() };
      this.recorder.progress(`restored the previous settings on ${this.session.nodes.length} node(s)`);
    } catch (error) {
      const reason = describeRestoreFailure(error);
      record =
        this.targetKind === "url"
          ? { status: "failed", previous: this.session.previousValues, at: at(), error: reason }
          : { status: "discarded", previous: this.session.previousValues, at: at(), error: reason };
      if (record.status === "failed") {
        const message = `--config: the previous settings could not be restored (${reason}) — set them back by hand: ${this.session.previousValues.map((p) => `${p.node} ${p.section}/${p.key}=${p.value ?? "(delete)"}`).join(", ")}`;
        this.recorder.progress(`error: ${message}`);
        await this.recorder.note("error", message);
      }
    }
    await this.recorder.restore(record);
    return record;
  }
}
