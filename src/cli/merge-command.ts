/** `couchbench merge <results...> -o merged.json`: one file from a CI matrix's per-version files. */
import { type Command } from "commander";
import { mergeResults } from "../report/merge-results.js";
import { readResultsFiles } from "../results/load-results.js";
import { writeOutput } from "./report-command.js";

interface MergeCommandOptions {
  output: string;
  acrossMachines?: boolean;
  runId?: string;
}

export function registerMergeCommand(program: Command): void {
  program
    .command("merge")
    .summary("merge results files of one plan (one per CouchDB version) into one")
    .description(
      "Merge results files measured with the same plan on different CouchDB versions (a CI matrix) into one file for report and compare. Refuses different plans, a CouchDB version measured twice, and different machines unless --across-machines.",
    )
    .argument("<results...>", "results.json files written by `couchbench run`")
    .requiredOption("-o, --output <path>", "where to write the merged results.json; - for stdout")
    .option(
      "--across-machines",
      "accept files from different machines: only comparisons relative to a server of the same run (compare --relative-to) are meaningful then",
    )
    .option("--run-id <id>", "run id of the merged file (default: the run ids joined by +)")
    .addHelpText(
      "after",
      `
Example (the final job of a matrix of CouchDB versions):
  couchbench merge matrix/*/results.json --across-machines -o merged/results.json
  couchbench compare baseline.json merged/results.json --relative-to javascript`,
    )
    .action(async (paths: string[], options: MergeCommandOptions) => {
      const merged = mergeResults(await readResultsFiles(paths), {
        ...(options.acrossMachines ? { acrossMachines: true } : {}),
        ...(options.runId ? { runId: options.runId } : {}),
      });
      await writeOutput(options.output, `${JSON.stringify(merged, null, 2)}\n`);
    });
}
