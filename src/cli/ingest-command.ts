/**
 * `couchbench ingest`: options → plan → target → ingest runner (steps on an open-model
 * schedule) → ingest.json after every step → ingest.html and the Markdown summary.
 */
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { openDatasetSource } from "../bench/datasets/index.js";
import { DESIGN_DOC_LIBRARY, loadDesignDocTemplate } from "../bench/design-docs.js";
import { assertDesignDocsParse } from "./design-doc-syntax.js";
import { queryServer } from "../couch/query-servers.js";
import { hostEnvironment } from "../bench/environment.js";
import { dropStepDatabases, runIngest } from "../bench/ingest/ingest-runner.js";
import { writeModeLabel } from "../bench/ingest/schedule.js";
import {
  estimateIngestMs,
  estimateStepMs,
  expectedDrainMs,
  plannedSteps,
  searchSteps,
  type IngestEstimateInputs,
} from "../bench/ingest/ingest-estimate.js";
import { estimateTargetStartMs, targetSettings } from "../bench/plan.js";
import { asFailure, ExitError, UsageError } from "../core/errors.js";
import type { IngestPlan } from "../results/ingest-format.js";
import { IngestStore, ingestResultsPath } from "../results/ingest-store.js";
import { renderIngestHtml } from "../report/ingest-html.js";
import { renderIngestMarkdown } from "../report/ingest-markdown.js";
import { IngestProgress } from "./ingest-progress.js";
import { INGEST_DEFAULTS, resolveIngestConfig, type IngestConfig, type RawIngestOptions } from "./ingest-options.js";
import { INTERRUPTED_EXIT_CODE, onInterrupt } from "./interrupt.js";
import { addQueryServerOptions } from "./query-server-options.js";
import { createTargets } from "./run-command.js";
import { seconds } from "./duration-text.js";
import { addTargetOptions } from "./target-options.js";
import { addConfigOptions } from "./config-options.js";
import { combinationLabel } from "../couch/config-settings.js";

export function registerIngestCommand(program: Command): void {
  const ingest = program
    .command("ingest")
    .summary("can CouchDB keep your views fresh at your write rate?")
    .description(
      "Write documents at fixed rates (an open model: requests leave on schedule, latency counts from the scheduled time) while CouchDB keeps a design doc's views fresh, and measure per query server and rate: achieved write rate, write latency, view lag (write acknowledged → visible in the view, by sentinel documents read with stale reads), read latency in reader mode, trend and drain time. Finds the knee: the highest sustainable rate.",
    );
  addConfigOptions(addQueryServerOptions(addTargetOptions(ingest, true)))
    .option("--rates <list>", "offered write rates in docs/s, comma-separated", INGEST_DEFAULTS.rates)
    .option("--write <mode>", "single (one document per PUT) or bulk:<n> (_bulk_docs of n)", INGEST_DEFAULTS.write)
    .addOption(
      new Option(
        "--freshness <mode>",
        "who keeps the views fresh: reader (--readers query with update=true; autoupdate off) or background (autoupdate on: CouchDB's ken)",
      )
        .choices(["reader", "background"])
        .default(INGEST_DEFAULTS.freshness),
    )
    .option("--readers <n>", "reader mode: concurrent readers", INGEST_DEFAULTS.readers)
    .option(
      "--read-rate <n>",
      "reader mode: reads per second per reader (update=true, first 10 rows)",
      INGEST_DEFAULTS.readRate,
    )
    .option("--duration <seconds>", "measured time per step", INGEST_DEFAULTS.duration)
    .option(
      "--warmup <seconds>",
      "writes at the step's rate before the measured time (not recorded)",
      INGEST_DEFAULTS.warmup,
    )
    .option(
      "--drain-timeout <seconds>",
      "longest wait after the writes for every sentinel to be visible",
      INGEST_DEFAULTS.drainTimeout,
    )
    .option(
      "--max-lag <seconds>",
      "reader mode: a sustained step keeps lag p95 and read p95 under this",
      INGEST_DEFAULTS.maxLag,
    )
    .option(
      "--find-max",
      "after --rates, bisect between the highest sustained and the first unsustained rate until within ±10% (doubling up when every rate held)",
    )
    .option("--max-rate <docs/s>", "--find-max never offers more than this", INGEST_DEFAULTS.maxRate)
    .option(
      "--sentinel-interval <ms>",
      "one sentinel document about every this many ms",
      INGEST_DEFAULTS.sentinelInterval,
    )
    .option(
      "--probe-interval <ms>",
      "how often the sentinel view is polled (with update=false): the lag's resolution",
      INGEST_DEFAULTS.probeInterval,
    )
    .option(
      "--max-in-flight <n>",
      "most write requests outstanding; beyond it the schedule waits (and the latency shows it)",
      INGEST_DEFAULTS.maxInFlight,
    )
    .option(
      "--preload <n>",
      "documents loaded and indexed in each step's database before the writes",
      INGEST_DEFAULTS.preload,
    )
    .option("--ddoc <name>", `design doc: ${DESIGN_DOC_LIBRARY.join(", ")} (designdocs/) or a path (default classic)`)
    .option(
      "--dataset <name>",
      "small, medium, large, a .json/.ndjson file, or couchdb:http://user:pw@host:5984/<db> (default medium)",
    )
    .option("--sample <n>", "couchdb: datasets: documents to read (later documents repeat them with new ids)")
    .option("--ids <scheme>", "document ids: sequential (default), random, …")
    .option("--q <shards>", "shards of each step's database (default 1)")
    .option("--n <copies>", "copies per shard range (?n=, at most --nodes)")
    .option("--nodes <n>", "local, docker: start a cluster of n nodes")
    .option("--out <dir>", "where runs are written: <out>/<run-id>/ingest.json and ingest.html", "results")
    .option("--run-id <id>", "name of this run (default: the start time)")
    .option("--resume <run-id>", "continue an interrupted run: same options again, finished steps are kept")
    .option("--dry-run", "print the plan and its estimated duration (the --find-max search included), then stop")
    .addHelpText(
      "after",
      `
Each step is one server at one rate in a fresh database: ${"`"}--warmup${"`"}, then ${"`"}--duration${"`"} measured, then the drain.
Knee, reader mode: the highest rate with the writer at ≥95% of the offered rate, lag and read latency with no
upward trend and p95 under --max-lag, and the backlog drained. Background mode: the same without the lag ceiling
(ken's schedule sets the absolute lag there; give it long steps, e.g. --duration 300).

Examples:
  couchbench ingest --url http://admin:pw@127.0.0.1:5984 --servers javascript,typescript --rates 500,1000,2000 --duration 15
  couchbench ingest --url http://admin:pw@127.0.0.1:5984 --servers javascript,quickjs,typescript,erlang --find-max
  couchbench ingest --url http://admin:pw@127.0.0.1:5984 --freshness background --rates 100,1000 --duration 300
  couchbench ingest --target local --couchdb-bin /opt/couchdb/bin/couchdb --freshness background --duration 300 --config ken/batch_channels=20,80
  couchbench ingest --target local --couchdb-bin /opt/couchdb/bin/couchdb --nodes 3 --q 2 --n 3 --write single
  couchbench ingest --couchdb 3.4.3,3.5.2 --servers javascript,typescript --find-max`,
    )
    .action(async (options: RawIngestOptions) => ingestCommand(resolveIngestConfig(options), options.dryRun ?? false));
}

async function ingestCommand(config: IngestConfig, dryRun: boolean): Promise<void> {
  const { run, settings } = config;
  // Several CouchDB versions (docker) or releases (local): each measured in turn, steps keyed by target.
  const targets = createTargets(run);
  const template = await loadDesignDocTemplate(run.designDoc);
  assertDesignDocsParse(
    [template],
    run.servers.flatMap((name) => queryServer(name, run.queryServers) ?? []),
  );
  const datasetName = run.datasets[0]!;
  const source = await openDatasetSource(run.datasetLocations[datasetName] ?? datasetName, {
    seed: run.seed,
    identical: false,
    sample: run.sample ?? 1000,
  });
  const dataset = source.withIds(run.ids[0]!);
  const plan: IngestPlan = {
    servers: settings.servers,
    rates: settings.rates,
    findMax: settings.findMax,
    write: writeModeLabel(settings.write),
    freshness: settings.freshness,
    ...(settings.freshness === "reader"
      ? { readers: settings.readers, readRatePerReader: settings.readRatePerReader }
      : {}),
    durationMs: settings.durationMs,
    warmupMs: settings.warmupMs,
    drainTimeoutMs: settings.drainTimeoutMs,
    maxLagMs: settings.maxLagMs,
    sentinelIntervalMs: settings.sentinelIntervalMs,
    probeIntervalMs: settings.probeIntervalMs,
    maxInFlight: settings.maxInFlight,
    preload: settings.preload,
    designDoc: template.source,
    dataset: dataset.name,
    ids: run.ids[0]!,
    q: settings.q,
    ...(settings.n !== undefined ? { n: settings.n } : {}),
    seed: run.seed,
    ...(run.configCombinations
      ? { config: { combinations: run.configCombinations.map((c) => [...c]), order: "rotated" } }
      : {}),
  };
  const estimate: IngestEstimateInputs = {
    ...settings,
    // --config: each server under each combination is a series; a start-up setting already
    // multiplied the targets, each of which runs only the combinations started with it.
    serverCount:
      (settings.servers.length * (run.configCombinations?.length ?? 1)) / targetSettings(run.configCombinations).length,
    targetCount: targets.length,
    dataset: datasetName,
    targetStartMs: estimateTargetStartMs(run),
  };
  const planned = plannedSteps(estimate);
  const stepMs = estimateStepMs(estimate);
  const totalMs = estimateIngestMs(estimate);
  const search = settings.findMax ? searchSteps(settings.rates, settings.searchLimits) : undefined;
  const drainNote = `drain (up to ${seconds(settings.drainTimeoutMs)})`;
  const lines = [
    `couchbench ingest ${run.runId}`,
    `  CouchDB:       ${targets.map((target) => target.label).join("; ")}`,
    `  query servers: ${settings.servers.join(", ")}`,
    ...(run.configCombinations
      ? [`  settings:      ${run.configCombinations.map(combinationLabel).join(" | ")} (each a series per server)`]
      : []),
    `  design doc:    ${run.designDoc}  dataset ${dataset.name}, ids ${plan.ids}, q=${plan.q}${plan.n ? `, n=${plan.n}` : ""}`,
    `  writes:        ${plan.write} at ${settings.rates.join(", ")} docs/s${settings.findMax ? ", then --find-max to ±10%" : ""}`,
    `  freshness:     ${settings.freshness}${settings.freshness === "reader" ? ` (${settings.readers} reader(s) × ${settings.readRatePerReader}/s, update=true)` : " (autoupdate on: ken)"}`,
    `  steps:         ${targets.length * planned.steps}${search ? ` + ${targets.length * planned.searched} of the search (${search.expected} per series for a knee within the rates; up to ${search.atMost} if it lies outside them)` : ""}, each ${seconds(settings.warmupMs)} warm-up + ${seconds(settings.durationMs)} + ${drainNote}, about ${seconds(stepMs)}; lag by a sentinel every ${settings.sentinelIntervalMs} ms, polled every ${settings.probeIntervalMs} ms`,
    `  estimated:     ${seconds(totalMs)}${search ? ", the search included" : ""}`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
  if (settings.freshness === "background" && settings.durationMs < 180_000)
    process.stderr.write(
      "  note: ken resubmits a busy database every 60 s; steps shorter than ~3 min show one or two of its cycles, not a trend\n",
    );
  if (dryRun) return;

  const path = ingestResultsPath(run.outDir, run.runId);
  const store = run.resume ? await resumeStore(path, plan, run.runId) : await newStore(path, plan, run.runId);
  const kept = store.snapshot.steps.length;
  const progress = new IngestProgress(process.stderr, {
    steps: targets.length * (planned.steps + planned.searched) - kept,
    stepMs,
    expectedDrainMs: expectedDrainMs(estimate),
    drainTimeoutMs: settings.drainTimeoutMs,
    targetStartMs: estimate.targetStartMs,
    totalMs: totalMs - kept * stepMs,
  });
  const interrupt = onInterrupt(() =>
    process.stderr.write("\ninterrupted: dropping the step in flight, stopping (again to exit at once)\n"),
  );
  try {
    for (const target of targets)
      await runIngest({
        runId: run.runId,
        target,
        settings,
        template,
        dataset,
        queryServers: run.queryServers,
        ...(run.configCombinations ? { configCombinations: run.configCombinations } : {}),
        store,
        emit: (event) => progress.handle(event),
        signal: interrupt.signal,
      });
    await store.finish("completed");
  } catch (error) {
    if (interrupt.signal.aborted) {
      await store.finish("interrupted");
      if (run.url) await dropStepDatabases(run.url, run.runId).catch(() => undefined);
      process.stderr.write(
        `results so far: ${path}\ncontinue with: couchbench ingest <same options> --resume ${run.runId}\n`,
      );
      throw new ExitError(INTERRUPTED_EXIT_CODE);
    }
    const failure = asFailure(error, `finished steps are in ${path}`);
    await store.addNote({ level: "error", message: failure.message });
    await store.finish("failed");
    throw failure;
  }
  const reportPath = join(path, "..", "ingest.html");
  await writeFile(reportPath, renderIngestHtml([store.snapshot]));
  process.stdout.write(renderIngestMarkdown([store.snapshot]));
  process.stderr.write(`\nresults: ${path}\nreport:  ${reportPath}\n`);
}

async function newStore(path: string, plan: IngestPlan, runId: string): Promise<IngestStore> {
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UsageError(`--run-id ${runId}: ${path} exists — pick another id, or continue it with --resume ${runId}`);
  return IngestStore.create(path, { runId, plan, environment: hostEnvironment(process.argv) });
}

async function resumeStore(path: string, plan: IngestPlan, runId: string): Promise<IngestStore> {
  const store = await IngestStore.resume(path).catch(() => {
    throw new UsageError(`--resume ${runId}: no readable ingest results at ${path} — check --out and the run id`);
  });
  const saved = store.snapshot.plan;
  const differing = (Object.keys(plan) as Array<keyof IngestPlan>).filter(
    (field) => field !== "findMax" && JSON.stringify(saved[field]) !== JSON.stringify(plan[field]),
  );
  if (differing.length > 0)
    throw new UsageError(
      `--resume ${runId}: ${differing.join(", ")} differ from the interrupted run — give the same options as the first time`,
    );
  return store;
}
