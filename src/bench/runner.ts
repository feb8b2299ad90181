import { FailureError, UsageError } from "../core/errors.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, registrationHint } from "../couch/probe.js";
import type { CouchTarget, StartedCouch } from "../couch/targets/target.js";
import type { Dataset } from "./datasets/index.js";
import type { DesignDocTemplate } from "./design-docs.js";
import type { BuildProgress } from "./index-build.js";
import { timeIndexBuild } from "./index-build.js";
import { loadDocuments } from "./loader.js";
import { measureBuild, newBuildId, rebuildIndex } from "./measure-build.js";
import { buildSteps, databaseName, measurementKey, planPoints, type BuildStep, type PlanPoint, type RunConfig } from "./plan.js";
import type { Correctness, LoadMetrics, Measurement, TargetInfo } from "../results/results-format.js";
import type { ResultsStore } from "../results/results-store.js";
import { describeDifference, type ViewOutput } from "./view-output.js";

/** What the runner reports while it works; it prints nothing itself. */
export type RunEvent =
  | { type: "target"; targetId: string; message: string }
  | { type: "target-ready"; target: TargetInfo; missing: Array<{ server: string; reason: string }> }
  | { type: "rebuild"; key: string }
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
  /**
   * Ctrl-C: when it fires, no further step starts, requests in flight are aborted, targets stop
   * what they started, and the build in flight is dropped (not recorded): `--resume` redoes it.
   * `runBenchmark` then rejects with the signal's reason.
   */
  signal: AbortSignal;
}

/** Runs the plan target by target; every finished measurement is on disk before the next starts. */
export async function runBenchmark(inputs: RunInputs): Promise<void> {
  const { signal } = inputs;
  const progressOf = (target: CouchTarget) => (message: string) => inputs.emit({ type: "target", targetId: target.id, message });
  // Every image (or release) is checked before the first measurement: a typo costs seconds.
  for (const target of inputs.targets) {
    signal.throwIfAborted();
    await target.prepare?.(progressOf(target), signal);
  }
  for (const target of inputs.targets) {
    signal.throwIfAborted();
    inputs.emit({ type: "target", targetId: target.id, message: `starting ${target.label}` });
    const couch = await target.start(progressOf(target), signal);
    try {
      await runOnTarget(inputs, target, couch);
    } catch (error) {
      throw signal.aborted ? error : await explainLostCouch(error, target, couch);
    } finally {
      inputs.emit({ type: "target", targetId: target.id, message: `stopping ${target.label}` });
      await couch.stop();
    }
  }
}

async function runOnTarget(inputs: RunInputs, target: CouchTarget, couch: StartedCouch): Promise<void> {
  const { config, store, signal } = inputs;
  await assertAdmin(couch.url, signal);
  const availability = await probeQueryServers(couch.url, config.servers, signal);
  const { info, problem } = await describeTarget(target, couch, availability, signal);
  await store.setTarget(info);
  inputs.emit({ type: "target-ready", target: info, missing: availability.missing });
  if (problem) await store.addNote({ level: "warning", targetId: target.id, message: problem });
  for (const { server, reason } of availability.missing) {
    await store.addNote({ level: "warning", targetId: target.id, message: `${server} is not available on ${target.id}: ${reason} — ${registrationHint(server)}` });
  }
  const client = new CouchClient(couch.url, signal);
  const unavailable = new Map(availability.missing.map(({ server, reason }) => [server, reason]));
  for (const point of planPoints(config)) {
    const work = pointWork(inputs, target.id, point, unavailable);
    if (work.steps.length === 0 && work.awaitingUpdate.length === 0) continue;
    inputs.emit({ type: "point", targetId: target.id, point });
    await runPoint(inputs, client, info, point, work, unavailable, new CouchClient(couch.url));
  }
}

/** What is left of a point after an interrupt: builds not recorded, and recorded builds still without their update. */
interface PointWork {
  steps: BuildStep[];
  awaitingUpdate: BuildStep[];
  /** The point's reference build, when one was recorded before the interrupt. */
  reference?: Reference;
}

function pointWork(inputs: RunInputs, targetId: string, point: PlanPoint, unavailable: Map<string, string>): PointWork {
  const { config, store } = inputs;
  const recorded = (step: BuildStep) => store.snapshot.measurements.find((m) => m.key === measurementKey(targetId, point, step.server, step.repeat) && m.status !== "errored");
  const all = buildSteps(config.servers, config.repeat);
  const referenceMeasurement = all.map(recorded).find((m) => m?.correctness.status === "reference");
  return {
    steps: all.filter((step) => !recorded(step)),
    awaitingUpdate: config.updateFraction > 0 ? all.filter((step) => !unavailable.has(step.server) && recorded(step)?.status === "completed" && !recorded(step)?.update) : [],
    ...(referenceMeasurement?.correctness.digest ? { reference: { server: referenceMeasurement.server, digest: referenceMeasurement.correctness.digest } } : {}),
  };
}

interface BuiltIndex {
  key: string;
  designDocId: string;
}

/** The build the others of a point are compared with; its full output only when built in this session. */
interface Reference {
  server: string;
  digest: string;
  output?: ViewOutput;
}

/** `cleanup` is a client without the signal: the benchmark database is deleted even after Ctrl-C. */
async function runPoint(inputs: RunInputs, client: CouchClient, target: TargetInfo, point: PlanPoint, work: PointWork, unavailable: Map<string, string>, cleanup: CouchClient): Promise<void> {
  const { config, emit, signal } = inputs;
  const dataset = inputs.datasets.get(point.dataset)!;
  const db = databaseName(config.runId, point);
  await client.deleteDatabase(db);
  await client.createDatabase(db, point.q);
  try {
    const load = await loadDocuments(client, db, dataset, 0, point.docCount, {
      batchSize: config.batchSize,
      concurrency: config.loadConcurrency,
      onProgress: (docsDone, docsTotal) => emit({ type: "load-progress", docsDone, docsTotal }),
    });
    const stored = await client.documentCount(db);
    if (stored !== point.docCount) throw new Error(`database ${db} holds ${stored} documents after loading ${point.docCount}`);
    emit({ type: "loaded", point, load });

    let reference = work.reference;
    const built: BuiltIndex[] = [];
    for (const step of work.awaitingUpdate) {
      signal.throwIfAborted();
      const key = measurementKey(target.id, point, step.server, step.repeat);
      emit({ type: "rebuild", key });
      const designDocId = await rebuildIndex({ client, db, template: inputs.template, server: step.server, buildId: newBuildId(config.runId, step.repeat) });
      built.push({ key, designDocId });
    }
    for (const step of work.steps) {
      signal.throwIfAborted();
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
          onProgress: (progress) => emit({ type: "build-progress", key, progress }),
        });
        const correctness = judge(outcome.output, reference);
        if (correctness.status === "reference") reference = { server: step.server, digest: correctness.digest!, output: outcome.output! };
        built.push({ key, designDocId: outcome.designDocId });
        await record(inputs, {
          ...base,
          language: outcome.language,
          status: "completed",
          finishedAt: new Date().toISOString(),
          build: outcome.build,
          ...(outcome.reduceMs !== undefined ? { reduce: { ms: outcome.reduceMs } } : {}),
          queryServerStats: outcome.queryServerStats,
          correctness,
        });
      } catch (error) {
        // Interrupted, not failed: nothing is recorded, so --resume builds it again.
        if (signal.aborted) throw error;
        await record(inputs, { ...base, status: "errored", error: describeFailure(error), finishedAt: new Date().toISOString() });
      }
    }
    await measureUpdates(inputs, client, db, dataset, point, built);
  } finally {
    // Benchmark databases of large documents take gigabytes; nothing reads them afterwards.
    await cleanup.deleteDatabase(db).catch(() => undefined);
  }
}

/** Adds `updateFraction` more documents, then times how long each built index takes to catch up. */
async function measureUpdates(inputs: RunInputs, client: CouchClient, db: string, dataset: Dataset, point: PlanPoint, built: BuiltIndex[]): Promise<void> {
  const added = Math.ceil(point.docCount * inputs.config.updateFraction);
  if (added === 0 || built.length === 0) return;
  await loadDocuments(client, db, dataset, point.docCount, point.docCount + added, { batchSize: inputs.config.batchSize, concurrency: inputs.config.loadConcurrency });
  for (const index of built) {
    inputs.signal.throwIfAborted();
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

/**
 * The first verified build of a point is its reference; later ones are compared with it. A
 * reference recorded before `--resume` is known by its digest only (its index went with the
 * database), so it is compared by digest.
 */
function judge(output: ViewOutput | undefined, reference: Reference | undefined): Correctness {
  if (!output) return { status: "unchecked" };
  if (!reference) return { status: "reference", digest: output.digest };
  const difference = reference.output ? describeDifference(reference.output, output) : reference.digest === output.digest ? undefined : `view output digest differs from ${reference.server}'s (recorded before the run was resumed)`;
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
