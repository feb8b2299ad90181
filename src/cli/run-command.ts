/**
 * `couchbench run`: options → plan → targets → runner → results file → report. The runner
 * measures and emits events; this module wires them to the terminal and the files.
 */
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, Option } from "commander";
import { openDataset, type Dataset } from "../bench/datasets/index.js";
import { loadDesignDocTemplate } from "../bench/design-docs.js";
import { hostEnvironment } from "../bench/environment.js";
import { estimateBuildMs, estimateDurationMs, estimateTargetStartMs, planPoints, summarisePlan, type RunConfig } from "../bench/plan.js";
import { RUN_PROFILES } from "../bench/profiles.js";
import { resultsPath, ResultsStore } from "../results/results-store.js";
import { runBenchmark } from "../bench/runner.js";
import { QUERY_SERVERS } from "../couch/query-servers.js";
import { DockerTarget } from "../couch/targets/docker-target.js";
import { LocalTarget } from "../couch/targets/local-target.js";
import { DEFAULT_START_TIMEOUT_MS, type CouchTarget } from "../couch/targets/target.js";
import { UrlTarget } from "../couch/targets/url-target.js";
import { renderHtmlReport } from "../report/html-report.js";
import { renderMarkdownSummary } from "../report/markdown-summary.js";
import { ExitError, FailureError, UsageError } from "../core/errors.js";
import { DEFAULT_COUCHDB_VERSION, resolveRunConfig, type RawRunOptions } from "./run-options.js";
import { RunProgress, seconds } from "./run-progress.js";
import { collect } from "./option-values.js";
import { INTERRUPTED_EXIT_CODE, onInterrupt } from "./interrupt.js";
import { fallBackFromDocker } from "./docker-fallback.js";

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .summary("benchmark view index builds (the main job)")
    .description(
      "Start or reach CouchDB, load generated documents, build the same views with each query server, time the builds and write results.json plus an HTML report.",
    )
    .addOption(new Option("--profile <name>", `defaults to start from: ${Object.values(RUN_PROFILES).map((p) => `${p.name} (${p.description})`).join("; ")}`).default("quick"))
    .addOption(new Option("--target <kind>", "where CouchDB comes from: docker (testcontainers), local (--couchdb-bin) or url (--url)").choices(["docker", "local", "url"]))
    .option("--couchdb <versions>", `docker: CouchDB image versions to compare, comma-separated (default ${DEFAULT_COUCHDB_VERSION})`)
    .option("--couchdb-bin <path>", "local: a CouchDB release's bin/couchdb; repeat to compare builds", collect, [])
    .option("--url <url>", "url: a running CouchDB, http://user:password@host:5984")
    .option("--servers <names>", `query servers, comma-separated: ${QUERY_SERVERS.map((s) => `${s.name} (${s.description})`).join(", ")} (default javascript,quickjs,typescript)`)
    .option("--dataset <names>", "small, medium, large, or a .json/.ndjson file of your documents; comma-separated (default from the profile)")
    .option("--sizes <counts>", "document counts, comma-separated, e.g. 10,100,1000 (default from the profile)")
    .option("--q <shards>", "shard counts to compare, e.g. 1,2 (default from the profile)")
    .option("--repeat <n>", "builds per server and point; server order rotates each repeat (default from the profile)")
    .option("--ddoc <path>", "design doc whose views are benchmarked (default designdocs/classic.json)")
    .option("--seed <n>", "seed of the document generator (same seed, same documents)", "1")
    .option("--identical", "the classic setup: N identical copies of the seed document")
    .option("--batch-size <n>", "documents per _bulk_docs request", "1000")
    .option("--concurrency <n>", "_bulk_docs requests in flight", "4")
    .option("--update <fraction>", "documents added after each build to time an incremental update, e.g. 10% (0 turns it off)", "10%")
    .option("--no-verify", "skip comparing the complete view output across query servers")
    .option("--cpus <n>", "docker: CPU limit of the container")
    .option("--memory <size>", "docker: memory limit of the container, e.g. 4g")
    .option("--start-timeout <seconds>", `longest wait for CouchDB to answer /_up after starting it (default: docker ${DEFAULT_START_TIMEOUT_MS.docker / 1000} s, local ${DEFAULT_START_TIMEOUT_MS.local / 1000} s, url ${DEFAULT_START_TIMEOUT_MS.url / 1000} s)`)
    .option("--out <dir>", "where runs are written: <out>/<run-id>/results.json and report.html", "results")
    .option("--run-id <id>", "name of this run (default: the start time)")
    .option("--resume <run-id>", "continue an interrupted run: same options again, finished measurements are kept")
    .option("--dry-run", "print the plan and its estimated duration, then stop")
    .addHelpText(
      "after",
      `
Examples:
  couchbench run                                   quick profile on the newest CouchDB in Docker
  couchbench run --couchdb 3.3.3,3.4.3,3.5.2       compare CouchDB versions
  couchbench run --url http://admin:pw@127.0.0.1:5984 --sizes 1000,10000 --q 1,2
  couchbench run --target local --couchdb-bin ~/couchdb/rel/couchdb/bin/couchdb --servers javascript,typescript
  couchbench run --ddoc my-views.json --dataset my-docs.ndjson --sizes 50000`,
    )
    .action(async (options: RawRunOptions & { dryRun?: boolean }) => {
      const config = await fallBackFromDocker(resolveRunConfig(options), options, (line) => process.stderr.write(`${line}\n`));
      await runCommand(config, options.dryRun ?? false);
    });
}

async function runCommand(config: RunConfig, dryRun: boolean): Promise<void> {
  const targets = createTargets(config);
  const datasets = await openDatasets(config);
  const template = await loadDesignDocTemplate(config.designDoc);
  const plan = summarisePlan(config, targets.length);
  const estimateMs = estimateDurationMs(config, targets.length);
  printPlan(config, targets, plan.plannedMeasurements, estimateMs);
  if (dryRun) return;

  const path = resultsPath(config.outDir, config.runId);
  const store = config.resume ? await resumeStore(path, config) : await newStore(path, config, targets.length);
  const remaining = plan.plannedMeasurements - store.snapshot.measurements.length;
  const progress = new RunProgress(remaining, estimateMs * (remaining / plan.plannedMeasurements), (measurement) => estimateBuildMs(config, measurement), estimateTargetStartMs(config));
  const interrupt = onInterrupt(() => process.stderr.write("\ninterrupted: stopping CouchDB and keeping the finished measurements (again to exit at once)\n"));
  try {
    await runBenchmark({ config, targets, datasets, template, store, emit: (event) => progress.handle(event), signal: interrupt.signal });
    await store.finish("completed");
  } catch (error) {
    if (interrupt.signal.aborted) {
      await store.finish("interrupted");
      process.stderr.write(`results so far: ${path}\ncontinue with: couchbench run <same options> --resume ${config.runId}\n`);
      throw new ExitError(INTERRUPTED_EXIT_CODE);
    }
    const failure = error instanceof UsageError || error instanceof FailureError ? error : new FailureError(`${(error as Error).message ?? error} (finished measurements are in ${path})`);
    await store.addNote({ level: "error", message: failure.message });
    await store.finish("failed");
    // A later target that fails must not hide what the earlier ones measured.
    if (store.snapshot.measurements.length > 0) await writeReports(store, path).catch(() => undefined);
    throw failure;
  } finally {
    interrupt.dispose();
  }
  await writeReports(store, path);
}

function createTargets(config: RunConfig): CouchTarget[] {
  switch (config.targetKind) {
    case "docker":
      return config.couchdbVersions.map(
        (version) =>
          new DockerTarget(version, { ...(config.cpus !== undefined ? { cpus: config.cpus } : {}), ...(config.memoryBytes !== undefined ? { memoryBytes: config.memoryBytes } : {}) }, config.startTimeoutMs),
      );
    case "local":
      return config.couchdbBins.map((bin, i) => new LocalTarget(config.couchdbBins.length > 1 ? `local-${i + 1}` : "local", bin, config.startTimeoutMs));
    case "url":
      return [new UrlTarget("url", config.url!, config.startTimeoutMs)];
  }
}

async function openDatasets(config: RunConfig): Promise<Map<string, Dataset>> {
  const datasets = new Map<string, Dataset>();
  for (const spec of config.datasets) datasets.set(spec, await openDataset(spec, { seed: config.seed, identical: config.identical }));
  return datasets;
}

function printPlan(config: RunConfig, targets: CouchTarget[], builds: number, estimateMs: number): void {
  const points = planPoints(config);
  const lines = [
    `couchbench run ${config.runId} (profile ${config.profile})`,
    `  CouchDB:       ${targets.map((target) => target.label).join("; ")}`,
    `  query servers: ${config.servers.join(", ")}`,
    `  design doc:    ${config.designDoc}`,
    `  points:        ${points.map((p) => `q${p.q}/${p.dataset}/${p.docCount}`).join(" ")}`,
    `  builds:        ${builds} (${config.repeat} repeat${config.repeat > 1 ? "s" : ""}, order rotated)${config.updateFraction > 0 ? `, each followed by a +${Math.round(config.updateFraction * 100)}% update` : ""}`,
    `  estimated:     ${seconds(estimateMs)}`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
}

async function newStore(path: string, config: RunConfig, targetCount: number): Promise<ResultsStore> {
  if (await access(path).then(() => true, () => false)) {
    throw new UsageError(`--run-id ${config.runId}: ${path} exists — pick another id, or continue it with --resume ${config.runId}`);
  }
  return ResultsStore.create(path, { runId: config.runId, plan: summarisePlan(config, targetCount), environment: hostEnvironment(process.argv) });
}

async function resumeStore(path: string, config: RunConfig): Promise<ResultsStore> {
  const store = await ResultsStore.resume(path).catch(() => {
    throw new UsageError(`--resume ${config.runId}: no readable ${path} — check --out and the run id`);
  });
  const saved = store.snapshot.plan;
  const differing = (["servers", "datasets", "sizes", "shards", "repeat", "seed", "identicalDocs"] as const).filter(
    (field) => JSON.stringify(saved[field]) !== JSON.stringify(summarisePlan(config, 1)[field]),
  );
  if (differing.length > 0) throw new UsageError(`--resume ${config.runId}: ${differing.join(", ")} differ from the interrupted run — give the same options as the first time`);
  return store;
}

async function writeReports(store: ResultsStore, path: string): Promise<void> {
  const results = store.snapshot;
  const reportPath = join(path, "..", "report.html");
  await writeFile(reportPath, renderHtmlReport([results]));
  process.stdout.write(renderMarkdownSummary([results]));
  const failures = results.measurements.filter((m) => m.status === "errored" || m.correctness.status === "mismatch");
  process.stderr.write(`\nresults: ${path}\nreport:  ${reportPath}\n`);
  if (failures.length > 0) {
    process.stderr.write(`${failures.length} build(s) failed or produced different view output; see the report's correctness table\n`);
    throw new ExitError(1);
  }
}
