/**
 * CouchDB settings as a dimension of a benchmark (`--config section/key=v1,v2`): parsing, the
 * combinations a run measures, their labels, and what couchbench knows about the settings that
 * decide how a view build goes — pure, so every rule is tested without a server. Applying them
 * to a node is node-config.ts.
 *
 * When a setting is read, from CouchDB's sources (3.4.3 and 3.5.2; README "Tuning CouchDB's view settings"):
 * - `build`: read by the indexer each time an index update starts or while it runs; couchbench
 *   creates a new design doc for every build, so a value set before the build is in force;
 * - `database`: read when a database or index file is opened (new databases and new indexes);
 * - `start`: read only when a service starts — it needs a restart: the local and docker targets
 *   start CouchDB with it in an ini file, a `--url` server refuses it.
 */
import { UsageError } from "../core/errors.js";
import type { ConfigSetting } from "../results/results-format.js";

export type { ConfigSetting };

/** One combination of settings a build runs under, in `--config` order. */
export type ConfigCombination = readonly ConfigSetting[];

export type SettingScope = "build" | "database" | "start";

export interface KnownSetting {
  section: string;
  key: string;
  scope: SettingScope;
  /** Where CouchDB reads it (the evidence for `scope`). */
  readBy: string;
  /** Accepted values; CouchDB itself stores any string, and crashes or ignores a bad one later. */
  values: "integer" | "integer-or-infinity" | "boolean" | readonly string[] | RegExp;
  /** First release that reads it. */
  since?: string;
}

const VIEW_UPDATER = "couch_mrview_updater:start_update, each index update";

/** The settings the issue names as deciding a view build, with when CouchDB reads them. */
export const KNOWN_SETTINGS: readonly KnownSetting[] = [
  { section: "view_updater", key: "queue_memory_cap", scope: "build", readBy: VIEW_UPDATER, values: "integer" },
  { section: "view_updater", key: "queue_item_cap", scope: "build", readBy: VIEW_UPDATER, values: "integer" },
  {
    section: "view_updater",
    key: "min_writer_items",
    scope: "build",
    readBy: "couch_mrview_updater:accumulate_more, during each update",
    values: "integer",
  },
  {
    section: "view_updater",
    key: "min_writer_size",
    scope: "build",
    readBy: "couch_mrview_updater:accumulate_more, during each update",
    values: "integer",
  },
  {
    section: "view_updater",
    key: "gc_interval_docs",
    scope: "build",
    readBy: "couch_index_updater:update, each index update",
    values: "integer-or-infinity",
    since: "3.5.2",
  },
  {
    section: "couchdb",
    key: "js_engine",
    scope: "build",
    readBy:
      "couch_proc_manager's config listener: reloads the language table and retires every idle couchjs, so the next build spawns the new engine",
    values: ["spidermonkey", "quickjs"],
  },
  {
    section: "couchdb",
    key: "file_compression",
    scope: "database",
    readBy:
      "couch_compress:get_compression_method, when a database (couch_bt_engine) or index (couch_mrview_util) opens",
    values: /^(none|snappy|deflate_[1-9])$/,
  },
  {
    section: "query_server_config",
    key: "os_process_limit",
    scope: "build",
    readBy: "couch_proc_manager's config listener (reload_config)",
    values: "integer",
  },
  {
    section: "ken",
    key: "batch_channels",
    scope: "build",
    readBy: "ken_server, before each background indexing job",
    values: "integer",
  },
  {
    section: "ken",
    key: "incremental_channels",
    scope: "build",
    readBy: "ken_server, before each background indexing job",
    values: "integer",
  },
  { section: "ioq.bypass", key: "view_update", scope: "build", readBy: "ioq:call, each request", values: "boolean" },
  {
    section: "quickjs",
    key: "memory_limit_bytes",
    scope: "start",
    readBy:
      "couch_quickjs:mainjs_cmd, when couch_proc_manager builds its language table: at start-up, or when [query_server_config], [native_query_servers] or js_engine change",
    values: "integer",
  },
  {
    section: "couchdb",
    key: "os_process_timeout",
    scope: "start",
    readBy:
      "couch_proc_manager:get_proc_config, at start-up or when [query_server_config] or [native_query_servers] change",
    values: "integer",
  },
];

export function knownSetting(section: string, key: string): KnownSetting | undefined {
  return KNOWN_SETTINGS.find((known) => known.section === section && known.key === key);
}

/** A setting's scope: `build` for keys couchbench knows nothing about (they are set through _config). */
export function scopeOf(setting: Pick<ConfigSetting, "section" | "key">): SettingScope {
  return knownSetting(setting.section, setting.key)?.scope ?? "build";
}

/** `--config view_updater/queue_memory_cap=100000,default`: one key and the values to compare. */
export interface ConfigOption {
  section: string;
  key: string;
  /** `null`: the key deleted, so the server's default applies. */
  values: Array<string | null>;
}

/** The value that means "delete the key": `default`, or nothing between the commas. */
export const DEFAULT_VALUE = "default";

/** Parses one `--config` option; a known key's values are checked here, before anything starts. */
export function parseConfigOption(text: string): ConfigOption {
  const match = /^\s*\[?([^\s/\]=]+)\]?\s*\/\s*([^\s=]+)\s*=(.*)$/s.exec(text);
  if (!match)
    throw new UsageError(
      `--config ${text}: expected <section>/<key>=<value>[,<value>…] — e.g. --config view_updater/queue_memory_cap=100000,1048576`,
    );
  const [, section, key, valueText] = match as unknown as [string, string, string, string];
  const values = valueText.split(",").map((item) => {
    const value = item.trim();
    return value === "" || value === DEFAULT_VALUE ? null : value;
  });
  const repeated = values.find((value, i) => values.indexOf(value) !== i);
  if (repeated !== undefined)
    throw new UsageError(
      `--config ${section}/${key}: ${repeated ?? DEFAULT_VALUE} is given twice — list each value once`,
    );
  for (const value of values) assertValidValue("--config", { section, key, value });
  return { section, key, values };
}

/** A known key's value must be one CouchDB reads as meant: a one-line error naming the key otherwise. */
export function assertValidValue(option: string, setting: ConfigSetting): void {
  const known = knownSetting(setting.section, setting.key);
  if (!known || setting.value === null) return;
  const { values } = known;
  const value = setting.value;
  const ok =
    values === "integer"
      ? /^\d+$/.test(value)
      : values === "integer-or-infinity"
        ? /^\d+$/.test(value) || value === "infinity"
        : values === "boolean"
          ? value === "true" || value === "false"
          : values instanceof RegExp
            ? values.test(value)
            : values.includes(value);
  if (!ok)
    throw new UsageError(
      `${option} ${setting.section}/${setting.key}=${value}: CouchDB reads ${describeValues(values)} here — or ${DEFAULT_VALUE} for the server's default`,
    );
}

function describeValues(values: KnownSetting["values"]): string {
  if (values === "integer") return "a whole number";
  if (values === "integer-or-infinity") return "a whole number or infinity";
  if (values === "boolean") return "true or false";
  if (values instanceof RegExp) return `a value matching ${values.source}`;
  return values.join(" or ");
}

/** Every combination of the options' values, first option outermost; one key may appear once. */
export function configCombinations(options: readonly ConfigOption[]): ConfigCombination[] {
  assertDistinctKeys(options.map((option) => `${option.section}/${option.key}`));
  return options.reduce<ConfigSetting[][]>(
    (combinations, option) =>
      combinations.flatMap((combination) =>
        option.values.map((value) => [...combination, { section: option.section, key: option.key, value }]),
      ),
    [[]],
  );
}

/**
 * `--config-combos a|b`: the combinations to measure instead of every one. Each is `;`-separated
 * `section/key=value` items; with `--config` options, `key=value` names their key and the value
 * must be one they list, and every combination must set each of their keys.
 */
export function parseConfigCombos(text: string, options: readonly ConfigOption[]): ConfigCombination[] {
  const combinations = text.split("|").map((combo) => parseCombo(combo, options));
  const labels = combinations.map(combinationLabel);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) throw new UsageError(`--config-combos: ${repeated} is given twice — list it once`);
  const keys = (combo: ConfigCombination) => combo.map(settingName).sort().join(" ");
  const differing = combinations.find((combo) => keys(combo) !== keys(combinations[0]!));
  if (differing)
    throw new UsageError(
      `--config-combos: every combination must set the same keys (${keys(combinations[0]!)}; ${combinationLabel(differing)} sets ${keys(differing)}) — write ${DEFAULT_VALUE} for the server's default`,
    );
  return combinations;
}

function parseCombo(text: string, options: readonly ConfigOption[]): ConfigSetting[] {
  const items = text
    .split(";")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new UsageError(
      "--config-combos: an empty combination — e.g. --config-combos 'view_updater/queue_memory_cap=100000;view_updater/min_writer_items=100|view_updater/queue_memory_cap=1048576;view_updater/min_writer_items=500'",
    );
  const settings = items.map((item): ConfigSetting => {
    const short = /^([^\s/=]+)\s*=(.*)$/s.exec(item);
    if (short && options.length > 0) {
      const matching = options.filter((option) => option.key === short[1]);
      if (matching.length !== 1)
        throw new UsageError(
          `--config-combos ${item}: ${matching.length === 0 ? "no --config option has the key" : "several --config options have the key"} ${short[1]} — write <section>/<key>=<value>`,
        );
      return settingOf(matching[0]!, short[2]!.trim());
    }
    const option = parseConfigOption(item);
    if (option.values.length !== 1)
      throw new UsageError(
        `--config-combos ${item}: one value per key in a combination — separate combinations with |`,
      );
    return { section: option.section, key: option.key, value: option.values[0]! };
  });
  assertDistinctKeys(settings.map(settingName));
  for (const option of options) {
    const setting = settings.find((s) => s.section === option.section && s.key === option.key);
    if (!setting)
      throw new UsageError(
        `--config-combos ${text.trim()}: sets no value for --config ${option.section}/${option.key} — add ${option.key}=<value>`,
      );
    if (!option.values.includes(setting.value))
      throw new UsageError(
        `--config-combos ${text.trim()}: ${settingLabel(setting)} is not among the values --config ${option.section}/${option.key} lists`,
      );
  }
  return settings;
}

function settingOf(option: ConfigOption, valueText: string): ConfigSetting {
  const value = valueText === "" || valueText === DEFAULT_VALUE ? null : valueText;
  const setting = { section: option.section, key: option.key, value };
  assertValidValue("--config-combos", setting);
  return setting;
}

function assertDistinctKeys(names: readonly string[]): void {
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new UsageError(`--config ${repeated}: the key is given twice — list all its values in one option`);
}

/** `view_updater/queue_memory_cap`. */
export function settingName(setting: Pick<ConfigSetting, "section" | "key">): string {
  return `${setting.section}/${setting.key}`;
}

/** `view_updater/queue_memory_cap=100000`, `couchdb/js_engine=default`. */
export function settingLabel(setting: ConfigSetting): string {
  return `${settingName(setting)}=${setting.value ?? DEFAULT_VALUE}`;
}

/** The full label: what measurement keys, `--resume` and `compare` match on. */
export function combinationLabel(combination: ConfigCombination): string {
  return combination.map(settingLabel).join(";");
}

/** `queue_memory_cap=100000 · min_writer_items=100`: short enough for a legend. */
export function combinationShortLabel(combination: ConfigCombination): string {
  return combination.map((setting) => `${setting.key}=${setting.value ?? DEFAULT_VALUE}`).join(" · ");
}

/** `javascript · queue_memory_cap=100000`: a series, a server under a combination (just the server without one). */
export function seriesLabel(server: string, combination: ConfigCombination | undefined): string {
  return combination?.length ? `${server} · ${combinationShortLabel(combination)}` : server;
}

/** The settings of a combination that need CouchDB (re)started with them, and those set on a running node. */
export function splitByScope(combination: ConfigCombination): { start: ConfigSetting[]; live: ConfigSetting[] } {
  return {
    start: combination.filter((setting) => scopeOf(setting) === "start"),
    live: combination.filter((setting) => scopeOf(setting) !== "start"),
  };
}

/** The settings of a combination CouchDB reads when a database or index opens (`file_compression`). */
export function databaseSettings(combination: ConfigCombination): ConfigSetting[] {
  return combination.filter((setting) => scopeOf(setting) === "database");
}

/** Settings written to an ini file CouchDB reads at start: `null` (the default) is left out. */
export function renderSettingsIni(settings: readonly ConfigSetting[]): string {
  const sections = new Map<string, string[]>();
  for (const setting of settings) {
    if (setting.value === null) continue;
    sections.set(setting.section, [...(sections.get(setting.section) ?? []), `${setting.key} = ${setting.value}`]);
  }
  return [...sections].map(([section, lines]) => `[${section}]\n${lines.join("\n")}\n`).join("\n");
}
