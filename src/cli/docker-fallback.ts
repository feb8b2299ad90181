/**
 * `couchbench run` with no target named defaults to Docker. Without a Docker engine, a CouchDB
 * installed where the official packages put it is the next best thing: say so and use it.
 */
import { access, constants } from "node:fs/promises";
import type { RunConfig } from "../bench/plan.js";
import { dockerEngineReachable } from "../couch/targets/docker-target.js";
import type { RawRunOptions } from "./run-options.js";

/** Where CouchDB's Debian/RPM packages install the release. */
export const PACKAGED_COUCHDB_BIN = "/opt/couchdb/bin/couchdb";

export interface FallbackFacts {
  engineReachable: () => Promise<boolean>;
  packagedBin: string;
}

/**
 * The local target on the packaged release, when Docker was only the default and no engine answers; otherwise `config`
 * as it is.
 */
export async function fallBackFromDocker(
  config: RunConfig,
  raw: RawRunOptions,
  say: (line: string) => void,
  facts: FallbackFacts = { engineReachable: dockerEngineReachable, packagedBin: PACKAGED_COUCHDB_BIN },
): Promise<RunConfig> {
  const dockerWasAskedFor =
    raw.target !== undefined ||
    raw.couchdb !== undefined ||
    config.cpus !== undefined ||
    config.memoryBytes !== undefined;
  if (config.targetKind !== "docker" || dockerWasAskedFor) return config;
  if (
    !(await access(facts.packagedBin, constants.X_OK).then(
      () => true,
      () => false,
    ))
  )
    return config;
  if (await facts.engineReachable()) return config;
  say(`no Docker engine is reachable; using the CouchDB installed at ${facts.packagedBin} (--target local)`);
  return { ...config, targetKind: "local", couchdbBins: [facts.packagedBin] };
}
