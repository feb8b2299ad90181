#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { ExitError, FailureError, UsageError } from "../core/errors.js";
import { registerRunCommand } from "./run-command.js";
import { registerReportCommand } from "./report-command.js";
import { registerCompareCommand } from "./compare-command.js";
import { registerMergeCommand } from "./merge-command.js";
import { registerQsBenchCommand } from "./qs-bench-command.js";
import { couchbenchVersion } from "../core/package-paths.js";
import { registerQueryServerCommand } from "./query-server-command.js";
import { registerAdviseCommand } from "./advise-command.js";
import { registerIngestCommand } from "./ingest-command.js";

const program = new Command("couchbench")
  .description("Measure how long CouchDB takes to build view indexes, comparing query servers side by side.")
  .version(couchbenchVersion, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .addHelpText(
    "after",
    `
Start here:
  couchbench run                       the default benchmark: CouchDB in Docker, three query servers
  couchbench run --url http://admin:pw@127.0.0.1:5984 --dry-run
                                       see the plan for a CouchDB you already run
  couchbench advise --ddoc my-views.json --url http://admin:pw@127.0.0.1:5984
                                       measured advice: what makes your views build faster
  couchbench ingest --url http://admin:pw@127.0.0.1:5984 --rates 500,1000,2000
                                       can CouchDB keep the views fresh at your write rate?
  couchbench compare old.json new.json did it get slower?
  couchbench qs-bench                  query servers head to head, no CouchDB needed

Each command has --help. Results: results/<run-id>/results.json and report.html.`,
  )
  .exitOverride();

// Each command lives in its own module and registers itself here.
registerRunCommand(program);
registerAdviseCommand(program);
registerIngestCommand(program);
registerReportCommand(program);
registerCompareCommand(program);
registerMergeCommand(program);
registerQsBenchCommand(program);
registerQueryServerCommand(program);

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help/version text).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof UsageError || error instanceof FailureError) {
    process.stderr.write(`couchbench: ${error.message}\n`);
    return error.exitCode;
  }
  if (process.env.COUCHBENCH_DEBUG) {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  } else {
    process.stderr.write(
      `couchbench: internal error: ${(error as Error)?.message ?? String(error)} (rerun with COUCHBENCH_DEBUG=1 for details and report it)\n`,
    );
  }
  return 70;
}

// `couchbench ... | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

process.exitCode = await main(process.argv);
