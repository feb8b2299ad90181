/**
 * Runs a GitHub Actions job's shell steps in order on this machine, the way the runner would:
 * `bash -eo pipefail`, the job's and step's `env`, `${{ … }}` expressions, `if:` conditions,
 * `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`. `uses:` steps are not run: the test says what
 * stands in for each (or that it is not needed). So a broken step fails here, not on the first
 * nightly. Expressions: property paths, 'strings', ==, !=, &&, ||, !, always(), success(),
 * failure(), hashFiles('path').
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string | number>;
}

export interface JobContext {
  /** Where the steps run: the checkout. */
  cwd: string;
  /** Replaces job-level `env` values (e.g. a CouchDB URL) and adds to the process environment. */
  env?: Record<string, string>;
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  matrix?: Record<string, string>;
  github?: Record<string, unknown>;
  /** Steps (by name, `uses:` or `run:` text) the test does not run, with the reason. */
  skip?: Record<string, string>;
  /** What stands in for a `uses:` step, by its `uses:` value. */
  actions?: Record<string, (step: WorkflowStep) => void>;
}

export interface StepOutcome {
  label: string;
  outcome: "success" | "failure" | "skipped" | "not run";
  /** Why skipped, or the step's stderr when it failed. */
  detail?: string;
  stdout?: string;
}

export interface JobRun {
  steps: StepOutcome[];
  summary: string;
  ok: boolean;
}

export function readWorkflow(path: string): {
  jobs: Record<string, { env?: Record<string, string | number>; steps: WorkflowStep[] }>;
} {
  return parse(readFileSync(path, "utf8"));
}

export function runJob(workflowPath: string, jobId: string, context: JobContext): JobRun {
  const job = readWorkflow(workflowPath).jobs[jobId];
  if (!job) throw new Error(`no job ${jobId} in ${workflowPath}`);
  const scratch = mkdtempSync(join(tmpdir(), "couchbench-job-"));
  const summaryFile = join(scratch, "summary.md");
  writeFileSync(summaryFile, "");
  const outputs: Record<string, Record<string, string>> = {};
  const steps: StepOutcome[] = [];
  let failed = false;
  const scope = (env: Record<string, string>) => ({
    env,
    inputs: context.inputs ?? {},
    secrets: context.secrets ?? {},
    matrix: context.matrix ?? {},
    github: { token: "test-token", ...context.github },
    steps: Object.fromEntries(Object.entries(outputs).map(([id, values]) => [id, { outputs: values }])),
  });
  const jobEnv = { ...substituteAll(job.env ?? {}, scope({})), ...context.env };
  for (const step of job.steps) {
    const label = step.name ?? step.uses ?? step.run!.split("\n")[0]!;
    const skipReason = context.skip?.[label] ?? context.skip?.[step.uses ?? ""] ?? context.skip?.[step.run ?? ""];
    const condition = step.if ?? "success()";
    if (!truthy(evaluate(condition, scope(jobEnv), { failed, cwd: context.cwd }))) {
      steps.push({ label, outcome: "not run", detail: `if: ${condition}` });
      continue;
    }
    if (skipReason) {
      steps.push({ label, outcome: "skipped", detail: skipReason });
      continue;
    }
    if (step.uses) {
      const action = context.actions?.[step.uses.replace(/@.*$/, "")];
      if (!action)
        throw new Error(`step "${label}" uses ${step.uses}: give the test a stand-in for it, or skip it with a reason`);
      action(step);
      steps.push({ label, outcome: "success" });
      continue;
    }
    const outputFile = join(scratch, `output-${steps.length}`);
    writeFileSync(outputFile, "");
    const env = { ...jobEnv, ...substituteAll(step.env ?? {}, scope(jobEnv)) };
    const script = substitute(step.run!, scope(env), { failed, cwd: context.cwd });
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: context.cwd,
      encoding: "utf8",
      env: {
        ...process.env,
        COUCHBENCH_DEBUG: "",
        ...env,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_RUN_ID: "4242",
      },
      timeout: 15 * 60_000,
    });
    if (step.id) outputs[step.id] = parseOutputs(readFileSync(outputFile, "utf8"));
    const ok = result.status === 0;
    failed ||= !ok;
    steps.push({
      label,
      outcome: ok ? "success" : "failure",
      stdout: result.stdout,
      ...(ok ? {} : { detail: `exit ${result.status}: ${result.stderr}` }),
    });
  }
  return { steps, summary: readFileSync(summaryFile, "utf8"), ok: !failed };
}

function parseOutputs(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

type Scope = Record<string, unknown>;
interface Status {
  failed: boolean;
  cwd: string;
}

function substituteAll(values: Record<string, string | number>, scope: Scope): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, substitute(String(value), scope, { failed: false, cwd: "." })]),
  );
}

function substitute(text: string, scope: Scope, status: Status): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => String(evaluate(expression, scope, status) ?? ""));
}

function truthy(value: unknown): boolean {
  return value !== "" && value !== false && value !== null && value !== undefined && value !== 0;
}

/** A small recursive-descent evaluator for the expressions the workflows use. */
function evaluate(expression: string, scope: Scope, status: Status): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|\|\||&&|==|!=|!|\(|\)|,|[A-Za-z_][\w.-]*/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++]!;
  const or = (): unknown => {
    let value = and();
    while (peek() === "||") {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const and = (): unknown => {
    let value = equality();
    while (peek() === "&&") {
      take();
      const right = equality();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const equality = (): unknown => {
    const left = unary();
    if (peek() !== "==" && peek() !== "!=") return left;
    const op = take();
    const right = unary();
    return op === "==" ? String(left ?? "") === String(right ?? "") : String(left ?? "") !== String(right ?? "");
  };
  const unary = (): unknown => (peek() === "!" ? (take(), !truthy(unary())) : primary());
  const primary = (): unknown => {
    const token = take();
    if (token === "(") {
      const value = or();
      take();
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (peek() === "(") {
      take();
      const args: unknown[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") take();
      }
      take();
      if (token === "always") return true;
      if (token === "success") return !status.failed;
      if (token === "failure") return status.failed;
      if (token === "hashFiles") return args.every((path) => existsSync(join(status.cwd, String(path)))) ? "hash" : "";
      throw new Error(`expression function ${token}() is not supported by the step runner`);
    }
    return (
      token.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], scope) ??
      ""
    );
  };
  return or();
}
