/** Reading advise results files (advise.json) for `report`. */
import { readFilesOfKind } from "./load-by-format.js";
import { ADVISE_FORMAT, ADVISE_FORMAT_VERSION, type AdviseResults } from "./advise-format.js";

/** The files as advise results when the first one is; undefined when it is not (see readFilesOfKind). */
export function readAdviseFiles(paths: readonly string[]): Promise<AdviseResults[] | undefined> {
  return readFilesOfKind<AdviseResults>(paths, {
    format: ADVISE_FORMAT,
    formatVersion: ADVISE_FORMAT_VERSION,
    name: "advise",
    hint: "pass advise.json files written by `couchbench advise`",
    lists: ["variants", "readerChanges", "notes"],
  });
}
