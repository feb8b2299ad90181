/**
 * `couchbench qs-bench`: benchmarks query servers at the protocol level, without CouchDB, by
 * feeding each the exact line stream CouchDB sends while building a design doc's views.
 * Options → validated settings → bench/qs → table on stdout (or JSON), progress on stderr.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { openDataset } from "../bench/datasets/index.js";
import { loadDesignDocTemplate } from "../bench/design-docs.js";
import { hostEnvironment } from "../bench/environment.js";
import { defaultServers } from "../bench/qs/default-servers.js";
import { runQsBench, type QsBenchEvent } from "../bench/qs/qs-bench.js";
import { renderTable } from "../report/qs-bench-table.js";
import { QueryServerError, type ServerSpec } from "../bench/qs/server-process.js";
import { parseServerCommand } from "../couch/query-servers.js";
import { FailureError, UsageError } from "../core/errors.js";
import { collect, wholeNumber } from "./option-values.js";

interface RawOptions {
  server: string[];
  baseline?: string;
  docs: string;
  dataset: string;
  ddoc?: string;
  seed: string;
  repeat: string;
  identical?: boolean;
  timeoutMs: string;
  json?: string;
}

export function registerQsBenchCommand(program: Command): void {
  program
    .command("qs-bench")
    .summary("benchmark query servers over pipes, without CouchDB")
    .description(
      "Benchmark query servers without CouchDB: replay the exact protocol stream of a view build (reset, add_fun, map_doc per document, reduce/rereduce) to each server, alternating servers over repeats.",
    )
    .option(
      "--server <name=command>",
      "a query server to compare, as a shell command (repeatable); default: typescript, noop, and couchjs/quickjs when a CouchDB install is found",
      collect,
      [],
    )
    .option("--baseline <name>", "server the others are compared with (default: the first)")
    .option("--docs <n>", "documents per build", "5000")
    .option("--dataset <spec>", "small, medium, large, or a .json/.ndjson file of documents", "medium")
    .option("--ddoc <path>", "design doc whose views are built (default: designdocs/classic.json)")
    .option("--seed <n>", "seed of the generated documents", "1")
    .option("--identical", "every document a verbatim copy of the dataset's template (the classic setup)")
    .option("--repeat <n>", "builds per server; medians are quoted", "3")
    .option("--timeout-ms <ms>", "longest wait for one answer line, as CouchDB's os_process_timeout", "5000")
    .option("--json <file>", "also write the result as JSON to <file> (`-` for stdout, the table then goes to stderr)")
    .action(async (raw: RawOptions) => {
      const settings = await validate(raw);
      const [dataset, designDoc] = await Promise.all([
        openDataset(raw.dataset, { seed: settings.seed, identical: raw.identical === true }),
        loadDesignDocTemplate(raw.ddoc),
      ]);
      let result;
      try {
        result = await runQsBench({
          ...settings,
          dataset,
          designDoc,
          environment: hostEnvironment(process.argv),
          onEvent: progressPrinter(settings.docs),
        });
      } catch (error) {
        if (error instanceof QueryServerError) throw new FailureError(error.message);
        throw error;
      }
      const table = renderTable(result);
      if (raw.json === "-") process.stderr.write(table);
      else process.stdout.write(table);
      if (raw.json === "-") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (raw.json) await writeFile(raw.json, `${JSON.stringify(result, null, 2)}\n`);
    });
}

async function validate(raw: RawOptions) {
  const docs = wholeNumber("--docs", raw.docs, { example: "5000" });
  const repeat = wholeNumber("--repeat", raw.repeat);
  const replyTimeoutMs = wholeNumber("--timeout-ms", raw.timeoutMs, { example: "5000" });
  const seed = wholeNumber("--seed", raw.seed, { min: 0, example: "1" });
  let servers: ServerSpec[] = raw.server.map((value) => parseServerCommand("--server", value));
  if (servers.length === 0) {
    const found = await defaultServers();
    for (const note of found.notes) process.stderr.write(`qs-bench: ${note}\n`);
    servers = found.servers;
  }
  const names = servers.map((server) => server.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new UsageError(`--server ${duplicate}: given twice — give each server its own name`);
  const baseline = raw.baseline ?? names[0]!;
  if (!names.includes(baseline))
    throw new UsageError(`--baseline ${baseline}: no such server — use one of ${names.join(", ")}`);
  return { servers, baseline, docs, repeat, replyTimeoutMs, seed };
}

/** One line per finished build; a live document counter only on a terminal. */
function progressPrinter(docs: number): (event: QsBenchEvent) => void {
  const live = process.stderr.isTTY;
  return (event) => {
    if (event.kind === "progress" && live) process.stderr.write(`\r  ${event.server}: ${event.docsDone}/${docs} docs`);
    if (event.kind === "run-end") {
      const { sample } = event;
      process.stderr.write(
        `${live ? "\r\x1b[K" : ""}qs-bench: repeat ${event.repeat + 1} ${event.server}: ${sample.docsPerSecond.toFixed(0)} docs/s, p50 ${sample.latencyP50Ms.toFixed(3)} ms, reduce ${sample.reduceMs.toFixed(0)} ms\n`,
      );
    }
  };
}
