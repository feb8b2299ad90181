/**
 * The options that say where CouchDB comes from and how documents are loaded, shared by `run`
 * and `advise` (one wording, one default, parsed by run-options.ts for both).
 */
import { Option, type Command } from "commander";
import { DEFAULT_START_TIMEOUT_MS } from "../couch/targets/target.js";
import { collect } from "./option-values.js";
import { DEFAULT_COUCHDB_VERSION } from "./run-options.js";

/** `several`: the command compares CouchDB versions or releases (run), rather than using one (advise). */
export function addTargetOptions(command: Command, several: boolean): Command {
  const seconds = (kind: keyof typeof DEFAULT_START_TIMEOUT_MS) => `${kind} ${DEFAULT_START_TIMEOUT_MS[kind] / 1000} s`;
  return command
    .addOption(
      new Option(
        "--target <kind>",
        "where CouchDB comes from: docker (testcontainers), local (--couchdb-bin) or url (--url)",
      ).choices(["docker", "local", "url"]),
    )
    .option(
      "--couchdb <versions>",
      several
        ? `docker: CouchDB image versions to compare, comma-separated (default ${DEFAULT_COUCHDB_VERSION})`
        : `docker: the CouchDB image version (default ${DEFAULT_COUCHDB_VERSION})`,
    )
    .option(
      "--couchdb-bin <path>",
      several
        ? "local: a CouchDB release's bin/couchdb; repeat to compare builds"
        : "local: a CouchDB release's bin/couchdb",
      collect,
      [],
    )
    .option(
      "--url <url>",
      "url: a running CouchDB, http://user:password@host:5984 (admin: couchbench creates scratch databases)",
    )
    .option("--cpus <n>", "docker: CPU limit of the container")
    .option("--memory <size>", "docker: memory limit of the container, e.g. 4g")
    .option(
      "--start-timeout <seconds>",
      `longest wait for CouchDB to answer /_up after starting it (default: ${seconds("docker")}, ${seconds("local")}, ${seconds("url")})`,
    )
    .option("--seed <n>", "seed of the document generator (same seed, same documents)", "1")
    .option("--batch-size <n>", "documents per _bulk_docs request", "1000")
    .option("--concurrency <n>", "_bulk_docs requests in flight", "4");
}
