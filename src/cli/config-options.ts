/**
 * `--config` and `--config-combos`, shared by the commands that build under CouchDB settings
 * (run, advise, ingest): one wording, one parser.
 */
import { Option, type Command } from "commander";
import {
  configCombinations,
  parseConfigCombos,
  parseConfigOption,
  scopeOf,
  settingName,
  type ConfigCombination,
} from "../couch/config-settings.js";
import type { TargetKind } from "../results/results-format.js";
import { UsageError } from "../core/errors.js";
import { collect } from "./option-values.js";

export interface RawConfigOptions {
  config?: string[];
  configCombos?: string;
}

export function addConfigOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--config <section/key=values>",
        "a CouchDB setting to compare, e.g. view_updater/queue_memory_cap=100000,10485760 (the value default: the server's own, the key deleted); repeat to combine settings. Set on every node before the builds (ingest: the steps) under it and restored afterwards; settings CouchDB reads only at start-up (quickjs/memory_limit_bytes, couchdb/os_process_timeout) start the local or docker target once per value",
      )
        .argParser(collect)
        .default([], "none"),
    )
    .option(
      "--config-combos <a|b>",
      "the combinations to measure instead of every one: |-separated, each ;-separated section/key=value (key=value for a --config key), e.g. 'queue_memory_cap=100000;min_writer_items=100|queue_memory_cap=10485760;min_writer_items=500'",
    );
}

/** The combinations every point is built under; undefined without `--config`. */
export function resolveConfigCombinations(
  raw: RawConfigOptions,
  targetKind: TargetKind,
): ConfigCombination[] | undefined {
  const options = (raw.config ?? []).map(parseConfigOption);
  const combinations = raw.configCombos
    ? parseConfigCombos(raw.configCombos, options)
    : options.length > 0
      ? configCombinations(options)
      : undefined;
  if (!combinations) return undefined;
  const startOnly = combinations.flat().find((setting) => scopeOf(setting) === "start");
  if (startOnly && targetKind === "url")
    throw new UsageError(
      `--config ${settingName(startOnly)}: CouchDB reads it only at start-up, and couchbench does not restart a server given by --url — use --target local or docker, which start CouchDB with it`,
    );
  return combinations;
}
