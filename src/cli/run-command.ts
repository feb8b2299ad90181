/**
 * `couchbench run`: options → plan → targets → runner → results file → report. The runner
 * measures and emits events; this module wires them to the terminal and the files.
 */
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { ID_SCHEMES, openDatasetSource, type Dataset } from "../bench/datasets/index.js";
import {
  DESIGN_DOC_LIBRARY,
  designDocName,
  loadDesignDocTemplate,
  type DesignDocTemplate,
} from "../bench/design-docs.js";
import { hostEnvironment } from "../bench/environment.js";
import {
  datasetKey,
  estimateBuildMs,
  estimateDurationMs,
  estimateTargetStartMs,
  planPoints,
  pointLabel,
  summarisePlan,
  targetSettings,
  type RunConfig,
} from "../bench/plan.js";
import { RUN_PROFILES } from "../bench/profiles.js";
import { resultsPath, ResultsStore } from "../results/results-store.js";
import type { DatasetInfo } from "../results/results-format.js";
import { noBuildReason } from "../results/run-outcome.js";
import { runBenchmark } from "../bench/runner.js";
import { DockerClusterTarget } from "../couch/targets/docker-cluster-target.js";
import { DockerTarget } from "../couch/targets/docker-target.js";
import { LocalClusterTarget } from "../couch/targets/local-cluster-target.js";
import { LocalTarget } from "../couch/targets/local-target.js";
import type { CouchTarget } from "../couch/targets/target.js";
import { UrlTarget } from "../couch/targets/url-target.js";
import { renderHtmlReport } from "../report/html-report.js";
import { renderMarkdownSummary } from "../report/markdown-summary.js";
import { asFailure, ExitError, UsageError } from "../core/errors.js";
import { resolveRunConfig, type RawRunOptions } from "./run-options.js";
import { RunProgress } from "./run-progress.js";
import { seconds } from "./duration-text.js";
import { addQueryServerOptions } from "./query-server-options.js";
import { addTargetOptions } from "./target-options.js";
import { addConfigOptions } from "./config-options.js";
import { combinationLabel, type ConfigSetting } from "../couch/config-settings.js";
import { INTERRUPTED_EXIT_CODE, onInterrupt } from "./interrupt.js";
import { fallBackFromDocker } from "./docker-fallback.js";
import { assertDesignDocsParse } from "./design-doc-syntax.js";
import { queryServer } from "../couch/query-servers.js";

export function registerRunCommand(program: Command): void {
  const run = program
    .command("run")
    .summary("benchmark view index builds (the main job)")
    .description(
      "Start or reach CouchDB, load generated documents, build the same views with each query server, time the builds and write results.json plus an HTML report.",
    )
    .addOption(
      new Option(
        "--profile <name>",
        `defaults to start from: ${Object.values(RUN_PROFILES)
          .map((p) => `${p.name} (${p.description})`)
          .join("; ")}`,
      ).default("quick"),
    );
  addConfigOptions(addQueryServerOptions(addTargetOptions(run, true)))
    .option(
      "--dataset <names>",
      "small, medium, large, a .json/.ndjson file of your documents, or couchdb:http://user:pw@host:5984/<db> (sampled, read only); comma-separated (default from the profile)",
    )
    .option(
      "--sample <n>",
      "couchdb: datasets: documents to read from the database (default: the largest size); larger sizes repeat the sample with new ids",
    )
    .option(
      "--ids <schemes>",
      `document ids, comma-separated to compare: ${ID_SCHEMES.join(", ")} (default sequential, what CouchDB gives a document sent without _id)`,
    )
    .option("--sizes <counts>", "document counts, comma-separated, e.g. 10,100,1000 (default from the profile)")
    .option("--q <shards>", "shard counts to compare, e.g. 1,2 (default from the profile)")
    .option(
      "--n <copies>",
      "copies per shard range to compare, e.g. 1,3: databases are created with ?n= (at most --nodes; default: the server's)",
    )
    .option(
      "--nodes <n>",
      "local, docker: start a cluster of n CouchDB nodes joined with CouchDB's cluster setup (default 1)",
    )
    .option(
      "--repeat <n|auto>",
      "builds per server and point; server order rotates each repeat (default from the profile). auto: 3 or more, until the 95% interval of each server ÷ couchjs is narrower than --interval-width (points with builds under 1 s stop at 3, longer ones get at least 6)",
    )
    .option("--max-repeat <n>", "with --repeat auto: the most repeats a point gets (default 10)")
    .option(
      "--interval-width <fraction>",
      "with --repeat auto: the interval width to reach, as a share of the median (default 5%)",
    )
    .option(
      "--ddoc <names>",
      `design docs to benchmark, comma-separated: ${DESIGN_DOC_LIBRARY.join(", ")} (designdocs/) or paths to JSON design docs (default classic)`,
    )
    .option("--identical", "the classic setup: N identical copies of the seed document")
    .option(
      "--update <fraction>",
      "documents added after each build to time an incremental update, e.g. 10% (0 turns it off)",
      "10%",
    )
    .option("--no-verify", "skip comparing the complete view output across query servers")
    .option(
      "--compact",
      "after each build, compact its views and record the compaction's time, peak disk and the size after",
    )
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
  couchbench run --target local --couchdb-bin <release>/bin/couchdb --nodes 3 --q 2 --n 1,3
  couchbench run --target local --couchdb-bin ~/couchdb/rel/couchdb/bin/couchdb --servers javascript,typescript
  couchbench run --ddoc my-views.json --dataset my-docs.ndjson --sizes 50000
  couchbench run --url http://admin:pw@127.0.0.1:5984 --ids sequential,random --ddoc classic,builtin
  couchbench run --url http://admin:pw@127.0.0.1:5984 --dataset couchdb:http://reader:pw@db.example:5984/orders --sample 2000
  couchbench run --target local --couchdb-bin /opt/couchdb/bin/couchdb --query-server mine="node my-server.js" --servers javascript,mine,erlang
  couchbench run --target local --couchdb-bin /opt/couchdb/bin/couchdb --servers javascript --config view_updater/queue_memory_cap=100000,10485760
  couchbench run --target local --couchdb-bin /opt/couchdb/bin/couchdb --servers javascript --config couchdb/js_engine=spidermonkey,quickjs`,
    )
    .action(async (options: RawRunOptions & { dryRun?: boolean }) => {
      const config = await fallBackFromDocker(resolveRunConfig(options), options, (line) =>
        process.stderr.write(`${line}\n`),
      );
      await runCommand(config, options.dryRun ?? false);
    });
}

async function runCommand(config: RunConfig, dryRun: boolean): Promise<void> {
  const targets = createTargets(config);
  const { datasets, infos } = await openDatasets(config);
  const templates = await loadTemplates(config);
  assertDesignDocsParse(
    templates.values(),
    config.servers.flatMap((name) => queryServer(name, config.queryServers) ?? []),
  );
  // --config settings read at start-up start each CouchDB once per setting: the plan counts CouchDBs.
  const couchdbCount = targets.length / targetSettings(config.configCombinations).length;
  const plan = summarisePlan(config, couchdbCount);
  const estimateMs = estimateDurationMs(config, couchdbCount);
  printPlan(config, targets, plan.plannedMeasurements, estimateMs);
  if (dryRun) return;

  const path = resultsPath(config.outDir, config.runId);
  const store = config.resume ? await resumeStore(path, config) : await newStore(path, config, couchdbCount, infos);
  const remaining = plan.plannedMeasurements - store.snapshot.measurements.length;
  const progress = new RunProgress(
    remaining,
    estimateMs * (remaining / plan.plannedMeasurements),
    (measurement) => estimateBuildMs(config, measurement),
    estimateTargetStartMs(config),
  );
  const interrupt = onInterrupt(() =>
    process.stderr.write(
      "\ninterrupted: stopping CouchDB and keeping the finished measurements (again to exit at once)\n",
    ),
  );
  try {
    await runBenchmark({
      config,
      targets,
      datasets,
      templates,
      store,
      emit: (event) => progress.handle(event),
      signal: interrupt.signal,
    });
    // A plan that ran to its end but measured nothing failed: the results and summary say why, the exit status too.
    await store.finish(noBuildReason(store.snapshot.measurements) ? "failed" : "completed");
  } catch (error) {
    if (interrupt.signal.aborted) {
      await store.finish("interrupted");
      process.stderr.write(
        `results so far: ${path}\ncontinue with: couchbench run <same options> --resume ${config.runId}\n`,
      );
      throw new ExitError(INTERRUPTED_EXIT_CODE);
    }
    const failure = asFailure(error, `finished measurements are in ${path}`);
    await store.addNote({ level: "error", message: failure.message });
    await store.finish("failed");
    // A later target that fails must not hide what the earlier ones measured.
    if (store.snapshot.measurements.length > 0) await writeReports(store, path).catch(() => undefined);
    throw failure;
  }
  // A Ctrl-C from here on (the run is complete) lets the reports finish: see interrupt.ts.
  await writeReports(store, path);
}

/** One target per CouchDB, and with `--config` settings read at start-up, per value of those. */
export function createTargets(config: RunConfig): CouchTarget[] {
  return targetSettings(config.configCombinations).flatMap(({ start }) => createTargetsStartedWith(config, start));
}

function createTargetsStartedWith(config: RunConfig, startConfig: ConfigSetting[]): CouchTarget[] {
  switch (config.targetKind) {
    case "docker":
      return config.couchdbVersions.map((version) => {
        const limits = {
          ...(config.cpus !== undefined ? { cpus: config.cpus } : {}),
          ...(config.memoryBytes !== undefined ? { memoryBytes: config.memoryBytes } : {}),
        };
        const custom = {
          queryServers: config.queryServers,
          ...(config.dockerFile !== undefined ? { dockerFile: config.dockerFile } : {}),
          startConfig,
        };
        return config.nodes > 1
          ? new DockerClusterTarget(version, config.nodes, limits, config.startTimeoutMs, startConfig)
          : new DockerTarget(version, limits, config.startTimeoutMs, custom);
      });
    case "local":
      return config.couchdbBins.map((bin, i) => {
        const id = config.couchdbBins.length > 1 ? `local-${i + 1}` : "local";
        return config.nodes > 1
          ? new LocalClusterTarget(id, bin, config.nodes, config.startTimeoutMs, config.queryServers, startConfig)
          : new LocalTarget(id, bin, config.startTimeoutMs, config.queryServers, startConfig);
      });
    case "url":
      return [new UrlTarget("url", config.url!, config.startTimeoutMs)];
  }
}

/** Each dataset is opened (a database sampled) once, then given every id scheme of the plan. */
async function openDatasets(config: RunConfig): Promise<{ datasets: Map<string, Dataset>; infos: DatasetInfo[] }> {
  const datasets = new Map<string, Dataset>();
  const infos: DatasetInfo[] = [];
  const sample = config.sample ?? Math.max(...config.sizes);
  for (const dataset of config.datasets) {
    const source = await openDatasetSource(config.datasetLocations[dataset] ?? dataset, {
      seed: config.seed,
      identical: config.identical,
      sample,
    });
    if (source.info) infos.push(source.info);
    for (const ids of config.ids) datasets.set(datasetKey({ dataset, ids }), source.withIds(ids));
  }
  return { datasets, infos };
}

async function loadTemplates(config: RunConfig): Promise<Map<string, DesignDocTemplate>> {
  const templates = new Map<string, DesignDocTemplate>();
  for (const path of config.designDocs) templates.set(designDocName(path), await loadDesignDocTemplate(path));
  return templates;
}

function printPlan(config: RunConfig, targets: CouchTarget[], builds: number, estimateMs: number): void {
  const points = planPoints(config);
  const lines = [
    `couchbench run ${config.runId} (profile ${config.profile})`,
    `  CouchDB:       ${targets.map((target) => target.label).join("; ")}`,
    `  query servers: ${config.servers.join(", ")}`,
    `  design docs:   ${config.designDocs.join(", ")}`,
    `  ids:           ${config.ids.join(", ")}`,
    ...(config.configCombinations
      ? [`  settings:      ${config.configCombinations.map(combinationLabel).join(" | ")} (order rotated)`]
      : []),
    `  points:        ${points.map(pointLabel).join(" ")}`,
    `  builds:        ${config.repeatPolicy ? "at most " : ""}${builds} (${repeatsText(config)}, order rotated)${config.updateFraction > 0 ? `, each followed by a +${Math.round(config.updateFraction * 100)}% update` : ""}`,
    `  estimated:     ${seconds(estimateMs)}`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
}

function repeatsText(config: RunConfig): string {
  const policy = config.repeatPolicy;
  if (!policy) return `${config.repeat} repeat${config.repeat > 1 ? "s" : ""}`;
  return `${policy.minRepeats}–${policy.maxRepeats} repeats until each interval ÷ ${policy.reference} is within ${Math.round(policy.targetWidth * 1000) / 10}%`;
}

async function newStore(
  path: string,
  config: RunConfig,
  targetCount: number,
  datasets: DatasetInfo[],
): Promise<ResultsStore> {
  if (
    await access(path).then(
      () => true,
      () => false,
    )
  ) {
    throw new UsageError(
      `--run-id ${config.runId}: ${path} exists — pick another id, or continue it with --resume ${config.runId}`,
    );
  }
  return ResultsStore.create(path, {
    runId: config.runId,
    plan: summarisePlan(config, targetCount),
    environment: hostEnvironment(process.argv),
    ...(datasets.length > 0 ? { datasets } : {}),
  });
}

async function resumeStore(path: string, config: RunConfig): Promise<ResultsStore> {
  const store = await ResultsStore.resume(path).catch(() => {
    throw new UsageError(`--resume ${config.runId}: no readable ${path} — check --out and the run id`);
  });
  const saved = store.snapshot.plan;
  const differing = (
    [
      "servers",
      "queryServers",
      "datasets",
      "sizes",
      "shards",
      "replicas",
      "nodes",
      "repeat",
      "repeatPolicy",
      "seed",
      "identicalDocs",
      "designDocs",
      "ids",
      "config",
    ] as const
  ).filter((field) => JSON.stringify(saved[field]) !== JSON.stringify(summarisePlan(config, 1)[field]));
  if (differing.length > 0)
    throw new UsageError(
      `--resume ${config.runId}: ${differing.join(", ")} differ from the interrupted run — give the same options as the first time`,
    );
  return store;
}

async function writeReports(store: ResultsStore, path: string): Promise<void> {
  const results = store.snapshot;
  const reportPath = join(path, "..", "report.html");
  await writeFile(reportPath, renderHtmlReport([results]));
  process.stdout.write(renderMarkdownSummary([results]));
  const failures = results.measurements.filter((m) => m.status === "errored" || m.correctness.status === "mismatch");
  process.stderr.write(`\nresults: ${path}\nreport:  ${reportPath}\n`);
  const nothingRan = noBuildReason(results.measurements);
  if (nothingRan) {
    process.stderr.write(`${nothingRan}\n`);
    throw new ExitError(1);
  }
  if (failures.length > 0) {
    process.stderr.write(
      `${failures.length} build(s) failed or produced different view output; see the report's correctness table\n`,
    );
    throw new ExitError(1);
  }
}
