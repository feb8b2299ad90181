/**
 * `couchbench advise`: options → design doc + dataset → advise runner → advise.json,
 * advise.html, advised-ddoc.json and the ranked table on stdout.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command } from "commander";
import { DEFAULT_ID_SCHEME, openDatasetSource } from "../bench/datasets/index.js";
import { hostEnvironment } from "../bench/environment.js";
import { adviseReport } from "../bench/advise/advise-results.js";
import { dropScratchDatabases, runAdvise } from "../bench/advise/advise-runner.js";
import { loadUserDesignDoc } from "../bench/advise/user-design-doc.js";
import { deriveVariants } from "../bench/advise/variants.js";
import { estimateAdviseMs, scratchDatabaseCount, type AdviseEstimateInputs } from "../bench/advise/advise-plan.js";
import { estimateTargetStartMs } from "../bench/plan.js";
import { ExitError, UsageError } from "../core/errors.js";
import { renderAdviseHtml } from "../report/advise-html.js";
import { renderAdviseMarkdown } from "../report/advise-markdown.js";
import { AdviseProgress, printAdvisePlan } from "./advise-progress.js";
import { wholeNumber } from "./option-values.js";
import { createTargets } from "./run-command.js";
import { addTargetOptions } from "./target-options.js";
import { addQueryServerOptions } from "./query-server-options.js";
import { openAdviseCheckpoint } from "./advise-checkpoint.js";
import { addConfigOptions, resolveConfigCombinations, type RawConfigOptions } from "./config-options.js";
import { scopeOf, settingName } from "../couch/config-settings.js";
import { INTERRUPTED_EXIT_CODE, onInterrupt } from "./interrupt.js";
import { resolveRunConfig, type RawRunOptions } from "./run-options.js";
import { cpus } from "node:os";
import { assertDesignDocsParse } from "./design-doc-syntax.js";
import { QUERY_SERVERS } from "../couch/query-servers.js";

interface RawAdviseOptions
  extends
    RawConfigOptions,
    Pick<
      RawRunOptions,
      | "target"
      | "couchdb"
      | "couchdbBin"
      | "url"
      | "seed"
      | "batchSize"
      | "concurrency"
      | "cpus"
      | "memory"
      | "startTimeout"
      | "runId"
      | "servers"
      | "queryServer"
      | "dockerFile"
    > {
  ddoc: string;
  dataset: string;
  docs: string;
  repeat: string;
  out?: string;
  dryRun?: boolean;
  resume?: string;
}

const BUILT_IN_DATASETS = ["small", "medium", "large"];

export function registerAdviseCommand(program: Command): void {
  const advise = program
    .command("advise")
    .summary("measured advice on what makes your views build faster")
    .description(
      "Derive rewrites of a design doc (query server, built-in reduces, emit(key, null), one design doc per view, shard count, id scheme), build each in scratch databases, check each one's complete view output against the original, and rank them by measured speed-up. Never writes to your database.",
    )
    .option(
      "--ddoc <design doc>",
      "a design doc .json, a name from designdocs/ (classic), or couchdb:http://user:pw@host:5984/<db>/_design/<name> (only read)",
      "classic",
    )
    .option(
      "--dataset <name>",
      "documents to build on: small, medium, large, a .json/.ndjson file, or couchdb:http://user:pw@host:5984/<db> (the first --docs documents, only read)",
      "medium",
    )
    .option(
      "--docs <n>",
      "documents loaded into each scratch database (a smaller file or database is repeated with new ids)",
      "2000",
    )
    .option("--repeat <n>", "builds per variant; the order of the variants rotates each repeat", "3");
  addConfigOptions(addQueryServerOptions(addTargetOptions(advise, false)))
    .option("--run-id <id>", "name of this advice run (default: the start time)")
    .option(
      "--out <dir>",
      "where advise.json, advise.html, advised-ddoc.json and advise-progress.json go (default results/advise-<run-id>)",
    )
    .option(
      "--resume <run-id>",
      "continue an interrupted advise run: same options again; the builds in its advise-progress.json are kept",
    )
    .option("--dry-run", "print the variants, the plan and its estimated duration, then stop")
    .addHelpText(
      "after",
      `
Examples:
  couchbench advise --ddoc my-views.json --url http://admin:pw@127.0.0.1:5984
  couchbench advise --ddoc couchdb:http://admin:pw@127.0.0.1:5984/shop/_design/orders --dataset orders.ndjson
  couchbench advise --ddoc classic --docs 5000 --repeat 5 --dry-run
  couchbench advise --ddoc my-views.json --url http://admin:pw@127.0.0.1:5984 --dataset couchdb:http://admin:pw@127.0.0.1:5984/shop
  couchbench advise --target local --couchdb-bin /opt/couchdb/bin/couchdb --query-server mine="node my-server.js"
  couchbench advise --ddoc my-views.json --url http://admin:pw@127.0.0.1:5984 --config view_updater/queue_memory_cap=10485760`,
    )
    .action(async (options: RawAdviseOptions) => adviseCommand(options));
}

/** Servers --servers cannot name for advise, and why (mango is tried per view, as the "as a Mango index" variant). */
const CANNOT_RUN_JAVASCRIPT: Record<string, string> = {
  noop: "noop answers without running",
  erlang: "erlang cannot run (it needs Erlang sources)",
  mango: "mango cannot run (advise tries each view as a Mango index on its own)",
};

async function adviseCommand(options: RawAdviseOptions): Promise<void> {
  // The target options follow run's rules exactly; run's resolver validates them.
  const {
    target: kind,
    couchdb,
    couchdbBin,
    url,
    seed,
    batchSize,
    concurrency,
    cpus: cpuLimit,
    memory,
    startTimeout,
    repeat: repeats,
    servers,
    queryServer,
    dockerFile,
  } = options;
  const runConfig = resolveRunConfig({
    target: kind,
    couchdb,
    couchdbBin,
    url,
    seed,
    batchSize,
    concurrency,
    cpus: cpuLimit,
    memory,
    startTimeout,
    runId: resumeRunId(options),
    repeat: repeats,
    ...(servers !== undefined ? { servers } : {}),
    ...(queryServer !== undefined ? { queryServer } : {}),
    ...(dockerFile !== undefined ? { dockerFile } : {}),
  });
  if (runConfig.targetKind === "docker" && runConfig.couchdbVersions.length > 1)
    throw new UsageError("--couchdb: advise measures on one CouchDB — give one version");
  if (runConfig.targetKind === "local" && runConfig.couchdbBins.length > 1)
    throw new UsageError("--couchdb-bin: advise measures on one CouchDB — give it once");
  const notJavaScript = runConfig.servers.find((server) => Object.hasOwn(CANNOT_RUN_JAVASCRIPT, server));
  if (notJavaScript)
    throw new UsageError(
      `--servers ${notJavaScript}: advise runs your design doc's JavaScript on each server, which ${CANNOT_RUN_JAVASCRIPT[notJavaScript]} — use javascript, quickjs, typescript or a --query-server`,
    );
  const configCombinations = resolveConfigCombinations(options, runConfig.targetKind);
  const startOnly = configCombinations?.flat().find((setting) => scopeOf(setting) === "start");
  if (startOnly)
    throw new UsageError(
      `--config ${settingName(startOnly)}: CouchDB reads it only at start-up, and advise measures every variant on one running CouchDB — compare it with couchbench run --config`,
    );
  const [target] = createTargets(runConfig);
  const docCount = wholeNumber("--docs", options.docs, { example: "2000" });
  const repeat = runConfig.repeat;
  const { design, source } = await loadUserDesignDoc(options.ddoc);
  assertDesignDocsParse(
    [design.template],
    QUERY_SERVERS.filter((server) => server.language === design.language),
  );
  // A couchdb: dataset is read once: the first --docs documents are all a scratch database holds.
  const documents = await openDatasetSource(options.dataset, {
    seed: runConfig.seed,
    identical: false,
    sample: docCount,
  });
  const generatedIds = BUILT_IN_DATASETS.includes(options.dataset);
  // Generated documents get what most client libraries send (uuid4); the ids variant tries CouchDB's sequential ones.
  const dataset = documents.withIds(generatedIds ? "random" : DEFAULT_ID_SCHEME);
  const out = resolve(options.out ?? join("results", `advise-${runConfig.runId}`));

  // Before reaching CouchDB the plan assumes every query server and CouchDB's default q=2; the real plan follows once
  // connected.
  const assumed = deriveVariants(design, {
    availableServers: runConfig.servers,
    servers: runConfig.servers,
    defaultQ: 2,
    hostCores: cpus().length,
    generatedIds,
    ...(configCombinations ? { configCombinations } : {}),
  });
  const assumedAll = [assumed.original, ...assumed.variants];
  const estimateInputs: AdviseEstimateInputs = {
    dataset: options.dataset,
    docCount,
    repeat,
    targetStartMs: estimateTargetStartMs(runConfig),
  };
  printAdvisePlan(process.stderr, {
    title: `couchbench advise ${runConfig.runId}: ${design.id} (${source})`,
    target: target!.label,
    dataset: `${docCount.toLocaleString("en-US")} × ${dataset.name}`,
    derived: assumed,
    repeat,
    databases: scratchDatabaseCount(assumedAll),
    estimateMs: estimateAdviseMs(assumedAll, estimateInputs),
    assumed: true,
  });
  if (options.dryRun) return;

  const checkpoint = await openAdviseCheckpoint(
    join(out, "advise-progress.json"),
    runConfig.runId,
    options.resume !== undefined,
    {
      designDoc: source,
      designDocId: design.id,
      language: design.language,
      views: design.template,
      dataset: dataset.name,
      docCount,
      repeat,
      seed: runConfig.seed,
      servers: runConfig.servers,
      queryServers: runConfig.queryServers,
      target: target!.label,
    },
  );
  const createdAt = new Date().toISOString();
  const progress = new AdviseProgress(process.stderr, estimateInputs);
  const interrupt = onInterrupt(() =>
    process.stderr.write("\ninterrupted: deleting the scratch databases, stopping CouchDB (again to exit at once)\n"),
  );
  try {
    const outcome = await runAdvise({
      runId: runConfig.runId,
      target: target!,
      design,
      dataset,
      source: documents,
      generatedIds,
      servers: runConfig.servers,
      queryServers: runConfig.queryServers,
      docCount,
      repeat,
      batchSize: runConfig.batchSize,
      loadConcurrency: runConfig.loadConcurrency,
      emit: (event) => progress.handle(event),
      signal: interrupt.signal,
      checkpoint,
      ...(configCombinations ? { configCombinations } : {}),
    });
    const advisedFile = "advised-ddoc.json";
    const advisedPath = join(out, advisedFile);
    const report = adviseReport(outcome, {
      runId: runConfig.runId,
      createdAt,
      plan: {
        designDoc: source,
        designDocId: design.id,
        dataset: dataset.name,
        docCount,
        repeat,
        seed: runConfig.seed,
        originalQ: outcome.context.defaultQ,
        ...(outcome.context.hostCores ? { hostCores: outcome.context.hostCores } : {}),
        plannedBuilds: progress.plannedBuilds,
        servers: runConfig.servers,
        ...(runConfig.queryServers.length > 0 ? { queryServers: runConfig.queryServers } : {}),
      },
      environment: hostEnvironment(process.argv),
      design,
      advisedFile,
    });
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "advise.json"), `${JSON.stringify(report.results, null, 2)}\n`);
    await writeFile(join(out, "advise.html"), renderAdviseHtml(report.results));
    if (report.advisedDoc) await writeFile(advisedPath, `${JSON.stringify(report.advisedDoc, null, 2)}\n`);
    await checkpoint.finish("completed");
    process.stdout.write(renderAdviseMarkdown(report.results));
    process.stderr.write(
      `\nresults: ${join(out, "advise.json")}\nreport:  ${join(out, "advise.html")}\n${report.advisedDoc ? `advised design doc: ${advisedPath}\n` : ""}`,
    );
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    // A server someone else runs keeps nothing of ours; a target couchbench started is gone anyway.
    if (runConfig.url) await dropScratchDatabases(runConfig.url, runConfig.runId).catch(() => undefined);
    await checkpoint.finish("interrupted");
    process.stderr.write(
      `measured so far: ${checkpoint.path}\ncontinue with: couchbench advise <same options> --resume ${runConfig.runId}\n`,
    );
    throw new ExitError(INTERRUPTED_EXIT_CODE);
  }
}

/** `--resume <id>` names the run to continue; `--run-id` may repeat it, not contradict it. */
function resumeRunId(options: RawAdviseOptions): string | undefined {
  if (options.resume === undefined) return options.runId;
  if (options.runId !== undefined && options.runId !== options.resume)
    throw new UsageError(
      `--resume ${options.resume} --run-id ${options.runId}: the run to continue is its run id — give one of them`,
    );
  return options.resume;
}
