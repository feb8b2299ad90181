/**
 * `couchbench compare <baseline> <current>`: per-point ratio of build times with an interval,
 * exit 1 when a point is slower than the threshold with confidence (for CI).
 * `--relative-to <server>` judges each server's time ÷ that server's in the same run instead;
 * `--between base,head` compares two servers of one run (the pull-request A/B).
 */
import { type Command, Option } from "commander";
import {
  compareResults,
  compareServersInRun,
  BUILD_METRICS,
  type BuildMetric,
  type CompareOptions as Settings,
} from "../report/compare.js";
import type { ResultsFile } from "../results/results-format.js";
import { renderComparisonMarkdown } from "../report/comparison-markdown.js";
import { renderComparisonText } from "../report/comparison-text.js";
import { readResultsFiles } from "../results/load-results.js";
import { readIngestFiles } from "../results/load-ingest.js";
import { compareIngest, renderIngestComparison } from "../report/ingest-compare.js";
import { DEFAULT_MIN_BUILD_MS } from "../core/stats.js";
import { ExitError, UsageError } from "../core/errors.js";
import { list, parseFraction, positiveNumber } from "./option-values.js";

interface CompareOptions {
  threshold: string;
  format: "text" | "md";
  relativeTo?: string;
  minBuildTime: string;
  between?: string;
  metric: BuildMetric;
}

export function registerCompareCommand(program: Command): void {
  program
    .command("compare")
    .summary("compare two runs; exit 1 on a regression")
    .description(
      "Compare two results files point by point; exits 1 when a gated point is slower than the threshold with 95% confidence. A point is gated when its builds take at least --min-build-time.",
    )
    .argument("<baseline>", "results.json of the reference run (with --between: the run holding both servers)")
    .argument("[current]", "results.json of the run to check")
    .option("-t, --threshold <limit>", "allowed slowdown, as 10% or 0.1", "10%")
    .option(
      "--relative-to <server>",
      "judge each server's build time ÷ this server's in the same run and repeat (machine speed cancels), e.g. javascript",
    )
    .option(
      "--min-build-time <seconds>",
      "points whose median build is shorter are shown but not gated",
      String(DEFAULT_MIN_BUILD_MS / 1000),
    )
    .option(
      "--between <base,head>",
      "compare two servers of one run, repeat by repeat: e.g. typescript_base,typescript",
    )
    .addOption(
      new Option(
        "--metric <metric>",
        "what to compare per build: wall (until the view answers); qs-cpu (CPU time of the query-server processes, recorded by the local and docker targets: immune to what else the machine runs); cpu (the Erlang VM's and the query servers' CPU time); rss (peak resident memory of both); disk (peak growth of the index files)",
      )
        .choices(Object.keys(BUILD_METRICS))
        .default("wall"),
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md"]).default("text"))
    .addHelpText(
      "after",
      `
Examples:
  couchbench compare baseline.json results.json --relative-to javascript   nightly CI on shared runners
  couchbench compare baseline.json results.json --relative-to javascript --metric qs-cpu
                                                                            the same, on CPU time (local/docker runs)
  couchbench compare results.json --between typescript_base,typescript     a pull request's A/B in one run
  couchbench compare old/ingest.json new/ingest.json                       ingest runs: sustainable rate and lag`,
    )
    .action(async (baselinePath: string, currentPath: string | undefined, options: CompareOptions) => {
      const ingest = currentPath ? await readIngestFiles([baselinePath, currentPath]) : undefined;
      if (ingest) {
        // Ingest runs: the sustainable rate (a regression: lower by more than the threshold) and lag percentiles.
        const comparison = compareIngest(ingest[0]!, ingest[1]!, parseThreshold(options.threshold));
        process.stdout.write(renderIngestComparison(comparison, options.format === "md"));
        if (comparison.regressions > 0) throw new ExitError(1);
        return;
      }
      const settings = compareSettings(options);
      const comparison = options.between
        ? await compareBetween(baselinePath, currentPath, options.between, settings)
        : await compareFiles(baselinePath, currentPath, settings);
      const render = options.format === "md" ? renderComparisonMarkdown : renderComparisonText;
      process.stdout.write(render(comparison));
      if (comparison.regressions > 0) throw new ExitError(1);
    });
}

function compareSettings(options: CompareOptions): Settings {
  const minSeconds = options.minBuildTime === "0" ? 0 : positiveNumber("--min-build-time", options.minBuildTime);
  return {
    metric: options.metric,
    threshold: parseThreshold(options.threshold),
    minBuildMs: minSeconds * 1000,
    ...(options.relativeTo ? { relativeTo: options.relativeTo } : {}),
  };
}

async function compareFiles(baselinePath: string, currentPath: string | undefined, settings: Settings) {
  if (!currentPath)
    throw new UsageError(
      "compare needs two results files — couchbench compare <baseline.json> <current.json>, or one with --between base,head",
    );
  const [baseline, current] = await readResultsFiles([baselinePath, currentPath]);
  requireMetric(settings.metric, [
    [baselinePath, baseline!],
    [currentPath, current!],
  ]);
  const reference = settings.relativeTo;
  if (reference && ![baseline!, current!].every((file) => file.measurements.some((m) => m.server === reference))) {
    throw new UsageError(
      `--relative-to ${reference}: both runs need builds by ${reference} — run it beside the others (--servers ${reference},…)`,
    );
  }
  return compareResults(baseline!, current!, settings);
}

async function compareBetween(path: string, extra: string | undefined, between: string, settings: Settings) {
  const servers = list("--between", between);
  if (servers.length !== 2 || servers[0] === servers[1]) {
    throw new UsageError(
      `--between ${between}: name two different servers of the run — e.g. --between typescript_base,typescript`,
    );
  }
  if (extra) throw new UsageError("--between compares two servers of one results file — pass one file");
  if (settings.relativeTo)
    throw new UsageError(
      "--between and --relative-to: the two servers already ran interleaved in one run — drop --relative-to",
    );
  const [file] = await readResultsFiles([path]);
  requireMetric(settings.metric, [[path, file!]]);
  for (const server of servers) {
    if (!file!.measurements.some((m) => m.server === server)) {
      throw new UsageError(
        `--between: ${path} has no builds by ${server} — it has ${[...new Set(file!.measurements.map((m) => m.server))].join(", ")}`,
      );
    }
  }
  return compareServersInRun(file!, servers[0]!, servers[1]!, settings);
}

/**
 * `--metric qs-cpu` (or cpu, rss, disk) on a file without those figures (a url target's, or an older file) is a usage
 * error, not an empty comparison.
 */
function requireMetric(metric: BuildMetric | undefined, files: Array<[path: string, file: ResultsFile]>): void {
  if (metric === undefined || metric === "wall") return;
  const { value, what } = BUILD_METRICS[metric];
  for (const [path, file] of files) {
    if (!file.measurements.some((m) => m.build && value(m.build) !== undefined)) {
      throw new UsageError(
        `--metric ${metric}: ${path} has no ${what} — the local and docker targets record them, a --url server cannot; use --metric wall`,
      );
    }
  }
}

/** `10%` or `0.1` → 0.1. A bare number of 1 or more is refused: `10` could mean 10% or 1000%. */
export function parseThreshold(text: string): number {
  const parsed = parseFraction(text);
  if (!parsed || (!parsed.percent && parsed.value >= 1)) {
    throw new UsageError(
      `--threshold ${JSON.stringify(text)} is not a slowdown limit — write a percentage like 10% or a fraction like 0.1`,
    );
  }
  return parsed.value;
}
