/**
 * `couchbench report <results.json...>`: renders results files as HTML (default), Markdown
 * or CSV. Reading and rendering live in src/report; this module only maps options to them.
 */
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Command, Option } from "commander";
import type { ResultsFile } from "../results/results-format.js";
import { renderCsv } from "../report/csv.js";
import { renderHtmlReport } from "../report/html-report.js";
import { readResultsFiles } from "../results/load-results.js";
import { renderMarkdownSummary } from "../report/markdown-summary.js";
import { FailureError, UsageError } from "../core/errors.js";
import { readIngestFiles } from "../results/load-ingest.js";
import { renderIngestHtml } from "../report/ingest-html.js";
import { renderIngestMarkdown } from "../report/ingest-markdown.js";

type ReportFormat = "html" | "md" | "csv";

const RENDERERS: Record<ReportFormat, (files: ResultsFile[], options: ReportOptions) => string> = {
  html: (files, options) => renderHtmlReport(files, { history: options.history ?? false }),
  md: renderMarkdownSummary,
  csv: renderCsv,
};

interface ReportOptions {
  format: ReportFormat;
  output?: string;
  history?: boolean;
}

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .summary("render results as an HTML report, Markdown or CSV")
    .description("Render results files as an interactive HTML report, a Markdown summary or CSV.")
    .argument(
      "<results...>",
      "results.json files written by `couchbench run`, or ingest.json files by `couchbench ingest`",
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(["html", "md", "csv"]).default("html"))
    .option(
      "-o, --output <path>",
      "where to write; - for stdout (default: report.html beside the first input for html, stdout otherwise)",
    )
    .option(
      "--history",
      "html: nightly results files as a trend per point (x = the night), then the newest night's charts",
    )
    .action(async (paths: string[], options: ReportOptions) => {
      const ingest = await readIngestFiles(paths);
      if (ingest && options.format === "csv")
        throw new UsageError("--format csv: ingest results render as html or md — the steps are in the JSON itself");
      const text = ingest
        ? options.format === "md"
          ? renderIngestMarkdown(ingest)
          : renderIngestHtml(ingest)
        : RENDERERS[options.format](await readResultsFiles(paths), options);
      const output =
        options.output ??
        (options.format === "html" ? join(dirname(paths[0]!), ingest ? "ingest.html" : "report.html") : "-");
      await writeOutput(output, text);
    });
}

/** `-` is stdout; a file gets a note on stderr so stdout stays clean for pipes. */
export async function writeOutput(output: string, text: string): Promise<void> {
  if (output === "-") {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    throw new FailureError(`cannot write ${output}: ${(error as Error).message}`);
  }
  process.stderr.write(`wrote ${output}\n`);
}
