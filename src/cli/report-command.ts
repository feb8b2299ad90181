/**
 * `couchbench report <results.json...>`: renders results files (results.json, ingest.json,
 * advise.json) as HTML (default), Markdown or CSV. Reading and rendering live in src/results and
 * src/report; this module only maps options to them.
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
import { readAdviseFiles } from "../results/load-advise.js";
import { renderAdviseHtml } from "../report/advise-html.js";
import { renderAdviseMarkdown } from "../report/advise-markdown.js";
import { PIVOT_DIMENSIONS, type PivotDimension } from "../report/pivot-table.js";

type ReportFormat = "html" | "md" | "csv";

const RENDERERS: Record<ReportFormat, (files: ResultsFile[], options: ReportOptions) => string> = {
  html: (files, options) => renderHtmlReport(files, { history: options.history ?? false }),
  md: (files, options) => renderMarkdownSummary(files, options.columns ? { columns: options.columns } : {}),
  csv: renderCsv,
};

interface ReportOptions {
  format: ReportFormat;
  output?: string;
  history?: boolean;
  columns?: PivotDimension;
  /** commander's `--no-title`: false drops each file's title line. */
  title: boolean;
}

/** The title a Markdown rendering gives each file: `### couchbench run <id> — …`, `## couchbench ingest …`. */
const MARKDOWN_TITLE = /^#{2,3} couchbench .*\n\n/gm;

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .summary("render results as an HTML report, Markdown or CSV")
    .description("Render results files as an interactive HTML report, a Markdown summary or CSV.")
    .argument(
      "<results...>",
      "results.json files written by `couchbench run`, ingest.json by `couchbench ingest`, or advise.json by `couchbench advise` (files of one kind)",
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(["html", "md", "csv"]).default("html"))
    .option(
      "-o, --output <path>",
      "where to write; - for stdout (default: report.html, ingest.html or advise.html beside the first input for html, stdout otherwise)",
    )
    .option(
      "--history",
      "html: nightly results files as a trend per point (x = the night), then the newest night's charts",
    )
    .option(
      "--columns <dimension>",
      `md, results.json: one column per value of this dimension — ${PIVOT_DIMENSIONS.join(", ")} (settings combinations) — and one row per combination of the other dimensions the run varied; a cell is the build time, median (min–max) · speed-up against the first column; no cost table. ingest.json: server only — a column per series, a row per offered rate, a cell the lag p95 and ✓/✗ sustained`,
    )
    .option(
      "--no-title",
      "md: leave out each file's title line, to put the figure under a heading of your own (a README)",
    )
    .addHelpText(
      "after",
      `
Examples:
  couchbench report results/<run-id>/results.json                       report.html beside it
  couchbench report results/<run-id>/results.json --format md           the summary a run prints, with its cost table
  couchbench report results/<run-id>/results.json --format md --columns server
                                                                        one column per query server, one row per size
  couchbench report results/advise-<run-id>/advise.json --format md     the ranked table advise printed
  couchbench report results/<run-id>/ingest.json --format md            sustainable rate and lag per step
  couchbench report results/<run-id>/ingest.json --format md --columns server
                                                                        lag p95 per offered rate (rows) and server`,
    )
    .action(async (paths: string[], options: ReportOptions) => {
      if (options.columns && !(PIVOT_DIMENSIONS as string[]).includes(options.columns))
        throw new UsageError(
          `--columns ${options.columns}: not a dimension — use one of ${PIVOT_DIMENSIONS.join(", ")}`,
        );
      if (options.columns && options.format !== "md")
        throw new UsageError(
          `--columns pivots the Markdown table; --format ${options.format} shows every point as it is — use --format md`,
        );
      const { text, htmlName } = await render(paths, options);
      const output = options.output ?? (options.format === "html" ? join(dirname(paths[0]!), htmlName) : "-");
      await writeOutput(output, options.title ? text : text.replace(MARKDOWN_TITLE, ""));
    });
}

/** The files rendered as their kind (ingest, advise or build results) renders, and the HTML file's default name. */
async function render(paths: string[], options: ReportOptions): Promise<{ text: string; htmlName: string }> {
  const ingest = await readIngestFiles(paths);
  if (ingest) {
    refuse(options, "ingest", "the steps are in the JSON itself", {
      dimension: "server",
      layout: "a column per series, a row per offered rate",
    });
    return {
      text:
        options.format === "md"
          ? renderIngestMarkdown(ingest, { pivot: options.columns === "server" })
          : renderIngestHtml(ingest),
      htmlName: "ingest.html",
    };
  }
  const advise = await readAdviseFiles(paths);
  if (advise) {
    refuse(options, "advise", "every build is in the JSON itself");
    if (options.format === "html" && advise.length > 1)
      throw new UsageError("--format html: one advise.json per page — give one file, or use --format md for several");
    return {
      text: options.format === "md" ? advise.map(renderAdviseMarkdown).join("\n") : renderAdviseHtml(advise[0]!),
      htmlName: "advise.html",
    };
  }
  return { text: RENDERERS[options.format](await readResultsFiles(paths), options), htmlName: "report.html" };
}

/** CSV is for build results (results.json) only, and so is --columns but for the one `pivot` a kind has. */
function refuse(
  options: ReportOptions,
  kind: string,
  csvHint: string,
  pivot?: { dimension: PivotDimension; layout: string },
): void {
  if (options.format === "csv") throw new UsageError(`--format csv: ${kind} results render as html or md — ${csvHint}`);
  if (!options.columns || options.columns === pivot?.dimension) return;
  throw new UsageError(
    pivot
      ? `--columns ${options.columns}: ${kind} results pivot by ${pivot.dimension} only (${pivot.layout}) — use --columns ${pivot.dimension}`
      : `--columns pivots the builds table of results.json files, not ${kind} results — leave it out`,
  );
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
