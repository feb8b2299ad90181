import { FailureError, UsageError } from "../core/errors.js";
import { CouchClient, CouchHttpError, describeNetworkError } from "../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, registrationHint } from "../couch/probe.js";
import { MANGO_LANGUAGE, queryServer } from "../couch/query-servers.js";
import { baseTargetId, lifecycleMessages, type CouchTarget, type StartedCouch } from "../couch/targets/target.js";
import type { Dataset } from "./datasets/index.js";
import { firstView, type DesignDocTemplate } from "./design-docs.js";
import type { BuildProgress } from "./index-build.js";
import { timeIndexBuild } from "./index-build.js";
import { loadDocuments, waitUntilStored } from "./loader.js";
import { costMeters, type CostMeters } from "./cost/cost-meters.js";
import { canCountLeftOut, countLeftOut } from "./left-out.js";
import { measureBuild, newBuildId, rebuildIndex } from "./measure-build.js";
import {
  databaseName,
  datasetKey,
  measurementKey,
  planPoints,
  pointSteps,
  type BuildStep,
  type PlanPoint,
  type RunConfig,
} from "./plan.js";
import type { BuildsSoFar } from "./repeat-policy.js";
import { combinationLabel, combinationShortLabel, type ConfigCombination } from "../couch/config-settings.js";
import { ConfigDimension, storeRecorder } from "./config/config-dimension.js";
import { combinationsStartedWith, databaseGroups } from "./plan.js";
import type { Correctness, LoadMetrics, Measurement, TargetInfo } from "../results/results-format.js";
import type { ResultsStore } from "../results/results-store.js";
import { describeDifference, type ViewOutput } from "./view-output.js";

/** What the runner reports while it works; it prints nothing itself. */
export type RunEvent =
  | { type: "target"; targetId: string; message: string }
  | {
      type: "target-ready";
      target: TargetInfo;
      missing: Array<{ server: string; reason: string }>;
      /** Servers skipped for one design doc whose function they could not compile. */
      rejected: Rejection[];
    }
  | { type: "rebuild"; key: string }
  | { type: "point"; targetId: string; point: PlanPoint }
  | { type: "load-progress"; docsDone: number; docsTotal: number }
  | { type: "loaded"; point: PlanPoint; load: LoadMetrics }
  | { type: "build-start"; key: string; server: string; repeat: number; config?: string }
  | { type: "build-progress"; key: string; progress: BuildProgress }
  | { type: "measurement"; measurement: Measurement }
  | { type: "update"; key: string; ms: number };

/** A server that is there, but could not compile a function of one design doc: that design doc's builds are skipped. */
export interface Rejection {
  server: string;
  designDoc: string;
  reason: string;
}

export interface RunInputs {
  config: RunConfig;
  targets: CouchTarget[];
  /** By `datasetKey`: every dataset with every id scheme of the plan. */
  datasets: Map<string, Dataset>;
  /** By short name, in `--ddoc` order. */
  templates: Map<string, DesignDocTemplate>;
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
  const progressOf = (target: CouchTarget) => (message: string) =>
    inputs.emit({ type: "target", targetId: target.id, message });
  // Every image (or release) is checked before the first measurement: a typo costs seconds.
  for (const target of inputs.targets) {
    signal.throwIfAborted();
    await target.prepare?.(progressOf(target), signal);
  }
  for (const target of inputs.targets) {
    signal.throwIfAborted();
    const lifecycle = lifecycleMessages(target);
    inputs.emit({ type: "target", targetId: target.id, message: lifecycle.start });
    const couch = await target.start(progressOf(target), signal);
    let settings: ConfigDimension | undefined;
    try {
      settings = await openSettings(inputs, target, couch);
      await runOnTarget(inputs, target, couch, settings);
    } catch (error) {
      throw signal.aborted ? error : await explainLostCouch(error, target, couch);
    } finally {
      // Before the node stops: a server given by URL outlives the run and gets its settings back.
      await settings?.finish();
      if (lifecycle.stop) inputs.emit({ type: "target", targetId: target.id, message: lifecycle.stop });
      await couch.stop();
    }
  }
}

/** `--config`: the target's nodes, for its run-time settings; undefined without `--config`. */
async function openSettings(
  inputs: RunInputs,
  target: CouchTarget,
  couch: StartedCouch,
): Promise<ConfigDimension | undefined> {
  const { config, store, signal } = inputs;
  if (!config.configCombinations?.length) return undefined;
  return ConfigDimension.open(
    couch.url,
    target,
    config.configCombinations,
    storeRecorder(store, target.id, (message) => inputs.emit({ type: "target", targetId: target.id, message })),
    signal,
  );
}

/** The combinations a target builds under, by label: those whose start-up settings it was started with. */
function combinationsOn(config: RunConfig, target: CouchTarget): Map<string, ConfigCombination> {
  const combinations = combinationsStartedWith(config.configCombinations, target.startConfig);
  return new Map(combinations.map((combination) => [combinationLabel(combination), combination]));
}

async function runOnTarget(
  inputs: RunInputs,
  target: CouchTarget,
  couch: StartedCouch,
  settings: ConfigDimension | undefined,
): Promise<void> {
  const { config, store, templates, signal } = inputs;
  await assertAdmin(couch.url, signal);
  // Per design doc: the servers that need sources in their own language it does not have.
  const withoutSources = new Map(
    [...templates].map(([name, template]) => [name, serversWithoutSources(config, template)]),
  );
  const runnable = config.servers.filter((server) =>
    [...withoutSources.values()].some((missing) => !missing.some((entry) => entry.server === server)),
  );
  // Each language is probed with the first view of a design doc that has sources in it, else of the first design doc.
  const probed = (language: string) =>
    [...templates].find(([, template]) => template.languages?.[language]) ?? [...templates][0]!;
  const availability = await probeQueryServers(
    couch.url,
    runnable,
    {
      custom: config.queryServers,
      // A Mango index's map is a definition, not a function: Mango is probed with an index of its own.
      probeView: (language) => (language === MANGO_LANGUAGE ? undefined : firstView(probed(language)[1], language)),
    },
    signal,
  );
  const { info, problem } = await describeTarget(target, couch, availability, signal);
  await store.setTarget({
    ...info,
    ...(target.startConfig?.length ? { startConfig: [...target.startConfig] } : {}),
  });
  const missingSources = [...withoutSources.values()].flat();
  const rejected = availability.rejected.map(({ server, view, reason }): Rejection => ({
    server,
    designDoc: probed(queryServer(server, config.queryServers)!.language)[0],
    reason: `the map of view "${view}" does not compile on ${server} (${reason})`,
  }));
  inputs.emit({
    type: "target-ready",
    target: info,
    missing: [...availability.missing, ...missingSources],
    rejected,
  });
  for (const { server, designDoc, reason } of rejected) {
    await store.addNote({
      level: "warning",
      targetId: target.id,
      message: `${server} skips design doc ${designDoc}: ${reason} — the design doc is at fault, not ${server}: fix the function`,
    });
  }
  if (problem) await store.addNote({ level: "warning", targetId: target.id, message: problem });
  for (const { server, reason } of availability.missing) {
    await store.addNote({
      level: "warning",
      targetId: target.id,
      message: `${server} is not available on ${target.id}: ${reason} — ${registrationHint(server, config.queryServers)}`,
    });
  }
  for (const { server, reason } of missingSources) {
    await store.addNote({ level: "warning", targetId: target.id, message: `${server} is skipped: ${reason}` });
  }
  for (const message of mangoNotes(config, templates))
    await store.addNote({ level: "info", targetId: target.id, message });
  const unavailable = new Map(availability.missing.map(({ server, reason }) => [server, reason]));
  const skipReason = (step: BuildStep) =>
    unavailable.get(step.server) ??
    rejected.find((entry) => entry.server === step.server && entry.designDoc === step.designDoc)?.reason ??
    withoutSources.get(step.designDoc)?.find((entry) => entry.server === step.server)?.reason;
  const client = new CouchClient(couch.url, signal);
  const nodeCount = info.cluster?.nodeCount ?? 1;
  const tooMany = config.replicas?.find((n) => n > nodeCount);
  if (tooMany !== undefined)
    throw new UsageError(`--n ${tooMany}: ${target.id} has ${nodeCount} node${nodeCount > 1 ? "s" : ""} — lower --n`);
  const designDocs = [...templates.keys()];
  const combinations = combinationsOn(config, target);
  const applySetting = async (label: string | undefined) => {
    if (label !== undefined) await settings?.apply(combinations.get(label)!);
  };
  // Every point once per group of combinations that can share a database (one group, no combinations, without
  // --config).
  const pointRuns = databaseGroups([...combinations.values()]).flatMap((group) =>
    planPoints(config).map((point) => ({ point, configs: group.map(combinationLabel) })),
  );
  for (const { point, configs } of pointRuns) {
    const steps = pendingSteps(
      pointSteps({ ...config, designDocs, ...configSteps(config, configs) }, () =>
        buildsSoFar(store, target.id, point),
      ),
      (step) => !store.has(measurementKey(target.id, point, step)),
    );
    const first = steps.next();
    const awaitingUpdate =
      config.updateFraction > 0
        ? recordedWithoutUpdate(store, target.id, point).filter(
            (step) => (step.config === undefined || configs.includes(step.config)) && !skipReason(step),
          )
        : [];
    if (first.done && awaitingUpdate.length === 0) continue;
    inputs.emit({ type: "point", targetId: target.id, point });
    const work: PointWork = {
      steps: first.done ? [] : prepend(first.value, steps),
      awaitingUpdate,
      references: recordedReferences(store, target.id, point),
    };
    await runPoint(inputs, client, info, point, work, skipReason, {
      cleanup: new CouchClient(couch.url),
      meters: costMeters(couch, client),
      applySetting,
      combinationOf: (label) => (label === undefined ? undefined : combinations.get(label)),
    });
  }
}

/**
 * `--config`: the combinations a point's builds rotate through; with `--repeat auto` each series is a server under a
 * setting, its ratios taken to the reference server under the first setting (buildsSoFar names series the same way).
 */
function configSteps(
  config: RunConfig,
  configs: string[],
): { configs?: string[]; repeatPolicy?: RunConfig["repeatPolicy"] } {
  if (configs.length === 0) return {};
  return {
    configs,
    ...(config.repeatPolicy
      ? { repeatPolicy: { ...config.repeatPolicy, reference: `${config.repeatPolicy.reference} ${configs[0]}` } }
      : {}),
  };
}

/** What is left of a point after an interrupt: builds not recorded, and recorded builds still without their update. */
interface PointWork {
  steps: Iterable<BuildStep>;
  awaitingUpdate: BuildStep[];
  /** Per design doc, its reference build when one was recorded before the interrupt. */
  references: Map<string, Reference>;
}

/**
 * The build the others of a design doc at a point are compared with; its full output only when built in this session.
 */
interface Reference {
  server: string;
  digest: string;
  output?: ViewOutput;
}

/** The measurements of one point recorded so far (of every design doc, server and repeat). */
function measurementsOf(store: ResultsStore, targetId: string, point: PlanPoint): Measurement[] {
  return store.snapshot.measurements.filter(
    (m) =>
      m.targetId === targetId &&
      m.q === point.q &&
      m.n === point.n &&
      m.dataset === point.dataset &&
      m.docCount === point.docCount &&
      m.ids === point.ids,
  );
}

function recordedWithoutUpdate(store: ResultsStore, targetId: string, point: PlanPoint): BuildStep[] {
  return measurementsOf(store, targetId, point)
    .filter((m) => m.status === "completed" && !m.update)
    .map((m) => ({
      designDoc: m.designDoc ?? "",
      server: m.server,
      repeat: m.repeat,
      order: m.order,
      ...(m.config ? { config: combinationLabel(m.config) } : {}),
    }));
}

/**
 * References recorded for a point, on this target or on one of the same CouchDB started with other `--config`
 * start-up settings (`local+…`): those builds are checked against one reference too, by digest.
 */
function recordedReferences(store: ResultsStore, targetId: string, point: PlanPoint): Map<string, Reference> {
  const references = new Map<string, Reference>();
  const sameCouch = store.snapshot.targets
    .map((t) => t.id)
    .filter((id) => id !== targetId && baseTargetId(id) === baseTargetId(targetId));
  for (const m of [targetId, ...sameCouch].flatMap((id) => measurementsOf(store, id, point))) {
    if (references.has(m.designDoc ?? "")) continue;
    if (m.correctness.status === "reference" && m.correctness.digest)
      references.set(m.designDoc ?? "", {
        server: m.config ? `${m.server} under ${combinationLabel(m.config)}` : m.server,
        digest: m.correctness.digest,
      });
  }
  return references;
}

/** Servers that run only views written in their language (erlang), for a design doc that has none in it. */
function serversWithoutSources(
  config: RunConfig,
  template: DesignDocTemplate,
): Array<{ server: string; reason: string }> {
  return config.servers.flatMap((server) => {
    const spec = queryServer(server, config.queryServers);
    if (spec?.language === MANGO_LANGUAGE) {
      const mango = template.mango;
      return mango && "indexes" in mango
        ? []
        : [{ server, reason: `${template.source}: ${mango?.unavailable ?? "no Mango indexes"}` }];
    }
    if (!spec?.ownSources || template.languages?.[spec.language]) return [];
    const sibling = template.source.replace(/\.json$/, `.${spec.language}.json`);
    return [
      {
        server,
        reason: `${template.source} has no ${spec.language} sources — add ${sibling} beside it, with the same views written in ${spec.language}`,
      },
    ];
  });
}

/** Says, per design doc the `mango` server builds, where its indexes come from and why its output compares exactly. */
function mangoNotes(config: RunConfig, templates: Map<string, DesignDocTemplate>): string[] {
  if (!config.servers.some((server) => queryServer(server, config.queryServers)?.language === MANGO_LANGUAGE))
    return [];
  return [...templates].flatMap(([name, template]) =>
    template.mango && "indexes" in template.mango
      ? [
          `mango builds ${name}'s views as Mango JSON indexes (${template.mango.origin}); the other servers run the JavaScript views, which emit the same rows (key [fields…], value null, only documents that have every field) and _count, so every output is compared exactly`,
        ]
      : [],
  );
}

/** Steps still to run (a resumed run has some on disk); lazy, so `--repeat auto` decides as builds finish. */
function* pendingSteps(steps: Iterable<BuildStep>, pending: (step: BuildStep) => boolean): Generator<BuildStep> {
  for (const step of steps) if (pending(step)) yield step;
}

function* prepend<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** The builds of one point recorded so far, for the repeat policy: design doc → server → repeat → ms. */
function buildsSoFar(store: ResultsStore, targetId: string, point: PlanPoint): Map<string, BuildsSoFar> {
  const builds = new Map<string, Map<string, Map<number, number>>>();
  for (const m of measurementsOf(store, targetId, point)) {
    const designDoc = m.designDoc ?? "";
    const byServer = builds.get(designDoc) ?? new Map<string, Map<number, number>>();
    // With --config, each server × setting is a series of its own.
    const series = m.config ? `${m.server} ${combinationLabel(m.config)}` : m.server;
    const byRepeat = byServer.get(series) ?? new Map<number, number>();
    if (m.status === "completed" && m.build) byRepeat.set(m.repeat, m.build.ms);
    byServer.set(series, byRepeat);
    builds.set(designDoc, byServer);
  }
  return builds;
}

interface BuiltIndex {
  key: string;
  designDocId: string;
  template: DesignDocTemplate;
  /** `--config`: the combination it was built under; its update runs under it too. */
  config?: string;
}

/**
 * `couch.cleanup` is a client without the signal: the benchmark database is deleted even after
 * Ctrl-C; `couch.meters` what the target lets couchbench measure besides time.
 */
async function runPoint(
  inputs: RunInputs,
  client: CouchClient,
  target: TargetInfo,
  point: PlanPoint,
  work: PointWork,
  skipReasonOf: (step: BuildStep) => string | undefined,
  couch: {
    cleanup: CouchClient;
    meters: CostMeters;
    /** `--config`: sets a combination's run-time settings (by label) on every node; nothing without a label. */
    applySetting: (label: string | undefined) => Promise<void>;
    combinationOf: (label: string | undefined) => ConfigCombination | undefined;
  },
): Promise<void> {
  const { config, emit, signal } = inputs;
  const dataset = inputs.datasets.get(datasetKey(point))!;
  const db = databaseName(config.runId, point);
  const steps = work.steps[Symbol.iterator]();
  const firstStep = steps.next();
  // The database is created under the first build's settings (those read when a database opens take effect then).
  await couch.applySetting(firstStep.done ? work.awaitingUpdate[0]?.config : firstStep.value.config);
  await client.deleteDatabase(db);
  await client.createDatabase(db, point.q, point.n);
  try {
    const load = await loadDocuments(client, db, dataset, 0, point.docCount, {
      batchSize: config.batchSize,
      concurrency: config.loadConcurrency,
      onProgress: (docsDone, docsTotal) => emit({ type: "load-progress", docsDone, docsTotal }),
    });
    await waitUntilStored(client, db, point.docCount);
    emit({ type: "loaded", point, load });

    // Each design doc's servers are compared with the first of them that built it.
    const { references } = work;
    // Per design doc, the documents its maps threw on, counted once (null: could not be counted).
    const leftOut = new Map<string, Measurement["leftOut"] | null>();
    const built: BuiltIndex[] = [];
    for (const step of work.awaitingUpdate) {
      signal.throwIfAborted();
      const key = measurementKey(target.id, point, step);
      const template = inputs.templates.get(step.designDoc)!;
      emit({ type: "rebuild", key });
      await couch.applySetting(step.config);
      const designDocId = await rebuildIndex({
        client,
        db,
        template,
        server: step.server,
        buildId: newBuildId(config.runId, step.repeat),
      });
      built.push({ key, designDocId, template, ...(step.config !== undefined ? { config: step.config } : {}) });
    }
    for (const step of firstStep.done ? [] : prepend(firstStep.value, steps)) {
      signal.throwIfAborted();
      const key = measurementKey(target.id, point, step);
      const template = inputs.templates.get(step.designDoc)!;
      const base = baseMeasurement(target, point, step, key, load, couch.combinationOf(step.config));
      const skipReason = skipReasonOf(step);
      if (skipReason) {
        await record(inputs, { ...base, status: "skipped", error: skipReason, finishedAt: new Date().toISOString() });
        continue;
      }
      emit({
        type: "build-start",
        key,
        server: step.server,
        repeat: step.repeat,
        ...(base.config ? { config: combinationShortLabel(base.config) } : {}),
      });
      try {
        await couch.applySetting(step.config);
        const outcome = await measureBuild({
          client,
          db,
          template,
          server: step.server,
          buildId: newBuildId(config.runId, step.repeat),
          docCount: point.docCount,
          docBytes: load.bytes,
          verify: config.verify,
          cluster: target.cluster !== undefined,
          onProgress: (progress) => emit({ type: "build-progress", key, progress }),
          meters: couch.meters,
          compact: config.compact === true,
        });
        const correctness = outcome.copyDifference
          ? { status: "mismatch" as const, detail: outcome.copyDifference }
          : judge(outcome.output, references.get(step.designDoc));
        if (correctness.status === "reference")
          references.set(step.designDoc, {
            // With --config, the reference is one server under one setting: say which.
            server: step.config === undefined ? step.server : `${step.server} under ${step.config}`,
            digest: correctness.digest!,
            output: outcome.output!,
          });
        built.push({
          key,
          designDocId: outcome.designDocId,
          template,
          ...(step.config !== undefined ? { config: step.config } : {}),
        });
        const leftOutCount =
          config.verify && canCountLeftOut(template, step.server, config.queryServers)
            ? await countOnce(inputs, leftOut, { client, db, point, step, target })
            : undefined;
        await record(inputs, {
          ...base,
          language: outcome.language,
          status: "completed",
          finishedAt: new Date().toISOString(),
          build: outcome.build,
          ...(outcome.reduceMs !== undefined ? { reduce: { ms: outcome.reduceMs } } : {}),
          ...(outcome.compaction ? { compaction: outcome.compaction } : {}),
          queryServerStats: outcome.queryServerStats,
          correctness,
          ...(leftOutCount ? { leftOut: leftOutCount } : {}),
        });
      } catch (error) {
        // Interrupted, not failed: nothing is recorded, so --resume builds it again.
        if (signal.aborted) throw error;
        await record(inputs, {
          ...base,
          status: "errored",
          error: describeFailure(error),
          finishedAt: new Date().toISOString(),
        });
      }
    }
    await measureUpdates(inputs, client, db, dataset, point, built, couch.applySetting);
  } finally {
    // Benchmark databases of large documents take gigabytes; nothing reads them afterwards.
    await couch.cleanup.deleteDatabase(db).catch(() => undefined);
  }
}

/**
 * The documents a design doc's maps threw on at this point: counted after its first countable build, with that build's
 * server (left-out.ts), then the same for its later builds. A count that fails is a warning, not a failed build.
 */
async function countOnce(
  inputs: RunInputs,
  counted: Map<string, Measurement["leftOut"] | null>,
  at: { client: CouchClient; db: string; point: PlanPoint; step: BuildStep; target: TargetInfo },
): Promise<Measurement["leftOut"]> {
  const { point, step, target } = at;
  const known = counted.get(step.designDoc);
  if (known !== undefined) return known ?? undefined;
  const template = inputs.templates.get(step.designDoc)!;
  const buildId = newBuildId(inputs.config.runId, step.repeat);
  const where = `design doc ${step.designDoc} at q${point.q} ${point.dataset} × ${point.docCount.toLocaleString("en-US")}`;
  try {
    const byView = await countLeftOut(at.client, at.db, template, step.server, buildId);
    const result = { byView, countedWith: step.server };
    counted.set(step.designDoc, result);
    for (const [view, docs] of Object.entries(byView).filter(([, docs]) => docs > 0)) {
      await inputs.store.addNote({
        level: "warning",
        targetId: target.id,
        message: `${where}: the map of view "${view}" threw on ${docs} of ${point.docCount} documents (${percent(docs / point.docCount)}), which CouchDB left out of the view — its index and build time are of the other documents (counted with ${step.server})`,
      });
    }
    return result;
  } catch (error) {
    if (inputs.signal.aborted) throw error;
    counted.set(step.designDoc, null);
    await inputs.store.addNote({
      level: "warning",
      targetId: target.id,
      message: `${where}: the documents its maps threw on were not counted (${describeFailure(error)})`,
    });
    return undefined;
  }
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** Adds `updateFraction` more documents, then times how long each built index takes to catch up. */
async function measureUpdates(
  inputs: RunInputs,
  client: CouchClient,
  db: string,
  dataset: Dataset,
  point: PlanPoint,
  built: BuiltIndex[],
  applySetting: (label: string | undefined) => Promise<void>,
): Promise<void> {
  const added = Math.ceil(point.docCount * inputs.config.updateFraction);
  if (added === 0 || built.length === 0) return;
  await loadDocuments(client, db, dataset, point.docCount, point.docCount + added, {
    batchSize: inputs.config.batchSize,
    concurrency: inputs.config.loadConcurrency,
  });
  for (const index of built) {
    inputs.signal.throwIfAborted();
    await applySetting(index.config);
    const ms = await timeIndexBuild(client, db, index.designDocId, index.template);
    await inputs.store.updateMeasurement(index.key, {
      update: { docCount: added, ms, docsPerSec: added / (ms / 1000) },
    });
    inputs.emit({ type: "update", key: index.key, ms });
  }
}

async function record(inputs: RunInputs, measurement: Measurement): Promise<void> {
  await inputs.store.addMeasurement(measurement);
  inputs.emit({ type: "measurement", measurement });
}

function baseMeasurement(
  target: TargetInfo,
  point: PlanPoint,
  step: BuildStep,
  key: string,
  load: LoadMetrics,
  combination: ConfigCombination | undefined,
): Measurement {
  return {
    key,
    targetId: target.id,
    couchdbVersion: target.couchdbVersion,
    q: point.q,
    ...(point.n !== undefined ? { n: point.n } : {}),
    dataset: point.dataset,
    docCount: point.docCount,
    ids: point.ids,
    designDoc: step.designDoc,
    server: step.server,
    language: step.server,
    repeat: step.repeat,
    order: step.order,
    status: "completed",
    startedAt: new Date().toISOString(),
    finishedAt: "",
    load,
    correctness: { status: "unchecked" },
    ...(combination ? { config: [...combination] } : {}),
  };
}

/**
 * The first verified build of a design doc at a point is its reference; later ones are compared
 * with it. A reference recorded before `--resume` is known by its digest only (its index went
 * with the database), so it is compared by digest.
 */
function judge(output: ViewOutput | undefined, reference: Reference | undefined): Correctness {
  if (!output) return { status: "unchecked" };
  if (!reference) return { status: "reference", digest: output.digest };
  const difference = reference.output
    ? describeDifference(reference.output, output)
    : reference.digest === output.digest
      ? undefined
      : `view output digest differs from ${reference.server}'s (known by its digest: built before the run was resumed, or on the same CouchDB started with other --config settings)`;
  if (!difference) return { status: "match", digest: output.digest, comparedWith: reference.server };
  return { status: "mismatch", digest: output.digest, comparedWith: reference.server, detail: difference };
}

/** A network error mid-run means CouchDB died or became unreachable: say so, with its last log lines. */
export async function explainLostCouch(error: unknown, target: CouchTarget, couch: StartedCouch): Promise<unknown> {
  if (error instanceof CouchHttpError || error instanceof FailureError || error instanceof UsageError) return error;
  const tail = (await couch.logTail(10).catch(() => "")).trim();
  return new FailureError(
    `lost the connection to ${target.label} mid-run (${describeNetworkError(error)}) — it stopped or crashed${tail ? `; last log lines:\n${tail}` : ""}`,
  );
}

export function describeFailure(error: unknown): string {
  if (error instanceof CouchHttpError) return `CouchDB answered ${error.statusCode} ${error.error}: ${error.reason}`;
  return describeNetworkError(error);
}
