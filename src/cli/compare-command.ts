/**
 * `couchbench compare <baseline> <current>`: per-point ratio of build times with an interval,
 * exit 1 when a point is slower than the threshold with confidence (for CI).
 */
import { Command, Option } from "commander";
import { compareResults } from "../report/compare.js";
import { renderComparisonMarkdown } from "../report/comparison-markdown.js";
import { renderComparisonText } from "../report/comparison-text.js";
import { readResultsFiles } from "../results/load-results.js";
import { ExitError, UsageError } from "../core/errors.js";
import { parseFraction } from "./option-values.js";

interface CompareOptions {
  threshold: string;
  format: "text" | "md";
}

export function registerCompareCommand(program: Command): void {
  program
    .command("compare")
    .summary("compare two runs; exit 1 on a regression")
    .description(
      "Compare two results files point by point; exits 1 when a point is slower than the threshold with 95% confidence.",
    )
    .argument("<baseline>", "results.json of the reference run")
    .argument("<current>", "results.json of the run to check")
    .option("-t, --threshold <limit>", "allowed slowdown, as 10% or 0.1", "10%")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md"]).default("text"))
    .action(async (baselinePath: string, currentPath: string, options: CompareOptions) => {
      const threshold = parseThreshold(options.threshold);
      const [baseline, current] = await readResultsFiles([baselinePath, currentPath]);
      const comparison = compareResults(baseline!, current!, { threshold });
      const render = options.format === "md" ? renderComparisonMarkdown : renderComparisonText;
      process.stdout.write(render(comparison));
      if (comparison.regressions > 0) throw new ExitError(1);
    });
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
