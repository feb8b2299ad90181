import { FailureError, UsageError } from "../core/errors.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, registrationHint } from "../couch/probe.js";
import type { CouchTarget, StartedCouch } from "../couch/targets/target.js";
import type { Dataset } from "./datasets/index.js";
import type { DesignDocTemplate } from "./design-docs.js";
import type { BuildProgress } from "./index-build.js";
import { timeIndexBuild } from "./index-build.js";
import { loadDocuments } from "./loader.js";
import { measureBuild, newBuildId } from "./measure-build.js";
import { buildSteps, databaseName, measurementKey, planPoints, type BuildStep, type PlanPoint, type RunConfig } from "./plan.js";
import type { Correctness, LoadMetrics, Measurement, TargetInfo } from "../results/results-format.js";
import type { ResultsStore } from "../results/results-store.js";
import { describeDifference, type ViewOutput } from "./view-output.js";

/** What the runner reports while it works; it prints nothing itself. */
export type RunEvent =
  | { type: "target"; targetId: string; message: string }
  | { type: "target-ready"; target: TargetInfo; missing: Array<{ server: string; reason: string }> }
  | { type: "point"; targetId: string; point: PlanPoint }
  | { type: "load-progress"; docsDone: number; docsTotal: number }
  | { type: "loaded"; point: PlanPoint; load: LoadMetrics }
  | { type: "build-start"; key: string; server: string; repeat: number }
  | { type: "build-progress"; key: string; progress: BuildProgress }
  | { type: "measurement"; measurement: Measurement }
  | { type: "update"; key: string; ms: number };

export interface RunInputs {
  config: RunConfig;
  targets: CouchTarget[];
  datasets: Map<string, Dataset>;
  template: DesignDocTemplate;
  store: ResultsStore;
  emit: (event: RunEvent) => void;
  /** Started targets are registered here so Ctrl-C can stop them. */
  started: Set<StartedCouch>;
}

/** Runs the plan target by target; every finished measurement is on disk before the next starts. */
export async function runBenchmark(inputs: RunInputs): Promise<void> {
  for (const target of inputs.targets) {
    inputs.emit({ type: "target", targetId: target.id, message: `starting ${target.label}` });
    const couch = await target.start((message) => inputs.emit({ type: "target", targetId: target.id, message }));
    inputs.started.add(couch);
    try {
      await runOnTarget(inputs, target, couch);
    } catch (error) {
      throw await explainLostCouch(error, target, couch);
    } finally {
      inputs.emit({ type: "target", targetId: target.id, message: `stopping ${target.label}` });
      await couch.stop();
      inputs.started.delete(couch);
    }
  }
}

async function runOnTarget(inputs: RunInputs, target: CouchTarget, couch: StartedCouch): Promise<void> {
  const { config, store } = inputs;
  await assertAdmin(couch.url);
  const availability = await probeQueryServers(couch.url, config.servers);
  const info = await describeTarget(target, couch, availability);
  await store.setTarget(info);
  inputs.emit({ type: "target-ready", target: info, missing: availability.missing });
  for (const { server, reason } of availability.missing) {
    await store.addNote({ level: "warning", targetId: target.id, message: `${server} is not available on ${target.id}: ${reason} — ${registrationHint(server)}` });
  }
  const client = new CouchClient(couch.url);
  const nodeCount = info.cluster?.nodeCount ?? 1;
  const tooMany = config.replicas?.find((n) => n > nodeCount);
  if (tooMany !== undefined) throw new UsageError(`--n ${tooMany}: ${target.id} has ${nodeCount} node${nodeCount > 1 ? "s" : ""} — lower --n`);
  for (const point of planPoints(config)) {
    const steps = buildSteps(config.servers, config.repeat).filter((step) => !store.has(measurementKey(target.id, point, step.server, step.repeat)));
    if (steps.length === 0) continue;
    inputs.emit({ type: "point", targetId: target.id, point });
    await runPoint(inputs, client, info, point, steps, new Map(availability.missing.map(({ server, reason }) => [server, reason])));
  }
}

interface BuiltIndex {
  key: string;
  designDocId: string;
}

async function runPoint(inputs: RunInputs, client: CouchClient, target: TargetInfo, point: PlanPoint, steps: BuildStep[], unavailable: Map<string, string>): Promise<void> {
  const { config, emit } = inputs;
  const dataset = inputs.datasets.get(point.dataset)!;
  const db = databaseName(config.runId, point);
  await client.deleteDatabase(db);
  await client.createDatabase(db, point.q, point.n);
  try {
    const load = await loadDocuments(client, db, dataset, 0, point.docCount, {
      batchSize: config.batchSize,
      concurrency: config.loadConcurrency,
      onProgress: (docsDone, docsTotal) => emit({ type: "load-progress", docsDone, docsTotal }),
    });
    const stored = await client.documentCount(db);
    if (stored !== point.docCount) throw new Error(`database ${db} holds ${stored} documents after loading ${point.docCount}`);
    emit({ type: "loaded", point, load });

    let reference: { server: string; output: ViewOutput } | undefined;
    const built: BuiltIndex[] = [];
    for (const step of steps) {
      const key = measurementKey(target.id, point, step.server, step.repeat);
      const base = baseMeasurement(target, point, step, key, load);
      const skipReason = unavailable.get(step.server);
      if (skipReason) {
        await record(inputs, { ...base, status: "skipped", error: skipReason, finishedAt: new Date().toISOString() });
        continue;
      }
      emit({ type: "build-start", key, server: step.server, repeat: step.repeat });
      try {
        const outcome = await measureBuild({
          client,
          db,
          template: inputs.template,
          server: step.server,
          buildId: newBuildId(config.runId, step.repeat),
          docCount: point.docCount,
          docBytes: load.bytes,
          verify: config.verify,
          cluster: target.cluster !== undefined,
          onProgress: (progress) => emit({ type: "build-progress", key, progress }),
        });
        reference ??= outcome.output ? { server: step.server, output: outcome.output } : undefined;
        built.push({ key, designDocId: outcome.designDocId });
        await record(inputs, {
          ...base,
          language: outcome.language,
          status: "completed",
          finishedAt: new Date().toISOString(),
          build: outcome.build,
          ...(outcome.reduceMs !== undefined ? { reduce: { ms: outcome.reduceMs } } : {}),
          queryServerStats: outcome.queryServerStats,
          correctness: outcome.copyDifference ? { status: "mismatch", detail: outcome.copyDifference } : judge(step.server, outcome.output, reference),
        });
      } catch (error) {
        await record(inputs, { ...base, status: "errored", error: describeFailure(error), finishedAt: new Date().toISOString() });
      }
    }
    await measureUpdates(inputs, client, db, dataset, point, built);
  } finally {
    // Benchmark databases of large documents take gigabytes; nothing reads them afterwards.
    await client.deleteDatabase(db).catch(() => undefined);
  }
}

/** Adds `updateFraction` more documents, then times how long each built index takes to catch up. */
async function measureUpdates(inputs: RunInputs, client: CouchClient, db: string, dataset: Dataset, point: PlanPoint, built: BuiltIndex[]): Promise<void> {
  const added = Math.ceil(point.docCount * inputs.config.updateFraction);
  if (added === 0 || built.length === 0) return;
  await loadDocuments(client, db, dataset, point.docCount, point.docCount + added, { batchSize: inputs.config.batchSize, concurrency: inputs.config.loadConcurrency });
  for (const index of built) {
    const ms = await timeIndexBuild(client, db, index.designDocId, inputs.template);
    await inputs.store.updateMeasurement(index.key, { update: { docCount: added, ms, docsPerSec: added / (ms / 1000) } });
    inputs.emit({ type: "update", key: index.key, ms });
  }
}

async function record(inputs: RunInputs, measurement: Measurement): Promise<void> {
  await inputs.store.addMeasurement(measurement);
  inputs.emit({ type: "measurement", measurement });
}

function baseMeasurement(target: TargetInfo, point: PlanPoint, step: BuildStep, key: string, load: LoadMetrics): Measurement {
  return {
    key,
    targetId: target.id,
    couchdbVersion: target.couchdbVersion,
    q: point.q,
    ...(point.n !== undefined ? { n: point.n } : {}),
    dataset: point.dataset,
    docCount: point.docCount,
    server: step.server,
    language: step.server,
    repeat: step.repeat,
    order: step.order,
    status: "completed",
    startedAt: new Date().toISOString(),
    finishedAt: "",
    load,
    correctness: { status: "unchecked" },
  };
}

function judge(server: string, output: ViewOutput | undefined, reference: { server: string; output: ViewOutput } | undefined): Correctness {
  if (!output || !reference) return { status: "unchecked" };
  if (reference.server === server && reference.output === output) return { status: "reference", digest: output.digest };
  const difference = describeDifference(reference.output, output);
  if (!difference) return { status: "match", digest: output.digest, comparedWith: reference.server };
  return { status: "mismatch", digest: output.digest, comparedWith: reference.server, detail: difference };
}

/** A network error mid-run means CouchDB died or became unreachable: say so, with its last log lines. */
async function explainLostCouch(error: unknown, target: CouchTarget, couch: StartedCouch): Promise<unknown> {
  if (error instanceof CouchHttpError || error instanceof FailureError || error instanceof UsageError) return error;
  const tail = (await couch.logTail(10).catch(() => "")).trim();
  return new FailureError(`lost the connection to ${target.label} mid-run (${describeNetworkError(error)}) — it stopped or crashed${tail ? `; last log lines:\n${tail}` : ""}`);
}

function describeFailure(error: unknown): string {
  if (error instanceof CouchHttpError) return `CouchDB answered ${error.statusCode} ${error.error}: ${error.reason}`;
  return describeNetworkError(error);
}
