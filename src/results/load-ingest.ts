/** Reading ingest results files (ingest.json) for `report` and `compare`. */
import { readFilesOfKind } from "./load-by-format.js";
import {
  INGEST_FORMAT,
  INGEST_FORMAT_VERSION,
  INGEST_OLDER_VERSIONS_READ,
  type IngestResults,
} from "./ingest-format.js";

/** The files as ingest results when the first one is; undefined when it is not (see readFilesOfKind). */
export function readIngestFiles(paths: readonly string[]): Promise<IngestResults[] | undefined> {
  return readFilesOfKind<IngestResults>(paths, {
    format: INGEST_FORMAT,
    formatVersion: INGEST_FORMAT_VERSION,
    olderVersionsRead: INGEST_OLDER_VERSIONS_READ,
    name: "ingest",
    hint: "pass ingest.json files written by `couchbench ingest`",
    lists: ["steps", "knees", "targets"],
  });
}
