/**
 * `couchbench ingest`, the measuring part: start (or reach) CouchDB, check which servers it
 * runs, record its ken and view_updater settings, then measure every series at every rate
 * (series rotated from rate to rate), and with `--find-max` keep measuring the rate between
 * the highest sustained and the first unsustained one until the knee is within ±10%. A series
 * is a server, and with `--config` a server under one combination of settings (set on every
 * node before its steps, restored at the end). Every step is on disk before the next starts.
 * Emits events; prints nothing.
 */
import { combinationLabel, type ConfigCombination, type ConfigSetting } from "../../couch/config-settings.js";
import { CouchClient } from "../../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, registrationHint } from "../../couch/probe.js";
import { MANGO_LANGUAGE, queryServer, type ServerCommand } from "../../couch/query-servers.js";
import { lifecycleMessages, type CouchTarget, type StartedCouch } from "../../couch/targets/target.js";
import type { FreshnessConfig, IngestKnee, IngestStep, IngestTarget } from "../../results/ingest-format.js";
import type { IngestStore } from "../../results/ingest-store.js";
import type { Dataset } from "../datasets/index.js";
import { firstView, type DesignDocTemplate } from "../design-docs.js";
import { ConfigDimension, storeRecorder } from "../config/config-dimension.js";
import { combinationsStartedWith, rotation } from "../plan.js";
import { describeFailure, explainLostCouch } from "../runner.js";
import { HttpEdge } from "./http-edge.js";
import { measureStep, type StepProgress, type StepSettings } from "./ingest-step.js";
import { findKnee, nextSearchRate, type SearchLimits } from "./knee.js";
import { judgeStep } from "./verdict.js";

export interface IngestSettings extends Omit<StepSettings, "rate"> {
  servers: string[];
  /** Ascending. */
  rates: number[];
  findMax: boolean;
  searchLimits: SearchLimits;
  maxLagMs: number;
}

export interface IngestInputs {
  runId: string;
  target: CouchTarget;
  settings: IngestSettings;
  template: DesignDocTemplate;
  dataset: Dataset;
  queryServers: readonly ServerCommand[];
  /** `--config`: every combination of the run; the target measures those it was started for (its start-up settings). */
  configCombinations?: readonly ConfigCombination[];
  store: IngestStore;
  emit: (event: IngestEvent) => void;
  /** Ctrl-C: the step in flight is dropped (not recorded; `--resume` redoes it), the target stops. */
  signal: AbortSignal;
}

export type IngestEvent =
  | { type: "target"; message: string }
  | { type: "ready"; target: IngestTarget; servers: string[]; missing: Array<{ server: string; reason: string }> }
  | { type: "step-start"; key: string; server: string; config?: ConfigSetting[]; rate: number; searched: boolean }
  | { type: "step-progress"; key: string; progress: StepProgress }
  | { type: "step"; step: IngestStep; knee: IngestKnee };

/** Config sections that decide how fresh views are kept in background mode. */
const FRESHNESS_SECTIONS = ["ken", "view_updater"] as const;

export async function runIngest(inputs: IngestInputs): Promise<void> {
  const { target, signal } = inputs;
  const lifecycle = lifecycleMessages(target);
  inputs.emit({ type: "target", message: lifecycle.start });
  await target.prepare?.((message) => inputs.emit({ type: "target", message }), signal);
  const couch = await target.start((message) => inputs.emit({ type: "target", message }), signal);
  let settings: ConfigDimension | undefined;
  try {
    settings = await openSettings(inputs, couch);
    await ingestOn(inputs, couch, settings);
  } catch (error) {
    throw signal.aborted ? error : await explainLostCouch(error, target, couch);
  } finally {
    // Before the node stops: a server given by URL outlives the run and gets its settings back (also after Ctrl-C).
    await settings?.finish();
    if (lifecycle.stop) inputs.emit({ type: "target", message: lifecycle.stop });
    await couch.stop();
  }
}

/** The combinations this target measures; empty without `--config`. */
function combinationsOf(inputs: IngestInputs): ConfigCombination[] {
  return combinationsStartedWith(inputs.configCombinations, inputs.target.startConfig);
}

/** `--config`: the target's nodes, for its run-time settings; undefined without `--config`. */
async function openSettings(inputs: IngestInputs, couch: StartedCouch): Promise<ConfigDimension | undefined> {
  const combinations = combinationsOf(inputs);
  if (combinations.length === 0) return undefined;
  const { target, store } = inputs;
  return ConfigDimension.open(
    couch.url,
    target,
    combinations,
    storeRecorder(store, target.id, (message) => inputs.emit({ type: "target", message })),
    inputs.signal,
  );
}

async function ingestOn(inputs: IngestInputs, couch: StartedCouch, configDimension?: ConfigDimension): Promise<void> {
  const { settings, store, signal, target, template } = inputs;
  await assertAdmin(couch.url, signal);
  const availability = await probeQueryServers(
    couch.url,
    settings.servers,
    {
      custom: inputs.queryServers,
      probeView: (language) => (language === MANGO_LANGUAGE ? undefined : firstView(template, language)),
    },
    signal,
  );
  const { info, problem } = await describeTarget(target, couch, availability, signal);
  const client = new CouchClient(couch.url, signal);
  // --resume: the settings in force under combinations measured before the interruption stay on record.
  const configured = store.snapshot.targets.find((known) => known.id === target.id)?.configured;
  const described: IngestTarget = {
    ...info,
    ...(target.startConfig?.length ? { startConfig: [...target.startConfig] } : {}),
    freshnessConfig: await readFreshnessConfig(client),
    ...(configured ? { configured } : {}),
  };
  await store.setTarget(described);
  if (problem) await store.addNote({ level: "warning", targetId: target.id, message: problem });
  const missing = availability.missing.filter(({ server }) => !skipsByDesign(server, template));
  for (const { server, reason } of availability.missing)
    await store.addNote({
      level: "warning",
      targetId: target.id,
      message: `${server} is not available on ${target.id}: ${reason} — ${registrationHint(server, inputs.queryServers)}`,
    });
  for (const { server, view, reason } of availability.rejected)
    await store.addNote({
      level: "warning",
      targetId: target.id,
      message: `${server} cannot compile the map of view "${view}" (${reason}): the design doc is at fault — fix the function; ${server} is left out`,
    });
  const rejected = new Set(availability.rejected.map(({ server }) => server));
  const servers = settings.servers.filter((server) => availability.available.includes(server) && !rejected.has(server));
  for (const server of servers.filter((name) => queryServer(name, inputs.queryServers)?.runsViews === false))
    await store.addNote({
      level: "info",
      targetId: target.id,
      message: `${server} runs no map function, so its sentinel view stays empty: its steps measure the write side only (no lag, no drain wait)`,
    });
  inputs.emit({ type: "ready", target: described, servers, missing });
  const edge = new HttpEdge(couch.url, settings.maxInFlight + settings.readers * 4 + 2);
  try {
    const combinations = combinationsOf(inputs);
    const session: Session = {
      inputs,
      client,
      edge,
      targetId: target.id,
      series: seriesAt(servers, combinations, 0),
      ...(configDimension ? { configDimension } : {}),
    };
    for (const [r, rate] of settings.rates.entries())
      for (const [i, series] of seriesAt(servers, combinations, r).entries())
        await measure(session, series, rate, i + 1, false);
    if (!settings.findMax) return;
    for (let round = settings.rates.length; ; round++) {
      const next = seriesAt(servers, combinations, round).flatMap((series) => {
        const rate = nextSearchRate(kneeOf(store.snapshot.steps, target.id, series), settings.searchLimits);
        return rate === undefined ? [] : [{ series, rate }];
      });
      if (next.length === 0) return;
      for (const [i, { series, rate }] of next.entries()) await measure(session, series, rate, i + 1, true);
    }
  } finally {
    edge.close();
  }
}

/** What a sweep of rates is measured for: a server, with `--config` under one combination of settings. */
export interface Series {
  server: string;
  config?: ConfigCombination;
}

/**
 * The series in the order of one round (a rate, or a `--find-max` round): the combinations outermost, so a setting
 * changes as seldom as the rotation allows, and both the combinations and the servers within each rotated by round.
 */
export function seriesAt(
  servers: readonly string[],
  combinations: readonly ConfigCombination[],
  round: number,
): Series[] {
  const configs = combinations.length > 0 ? rotation(combinations, round) : [undefined];
  return configs.flatMap((config) =>
    rotation(servers, round).map((server): Series => (config ? { server, config } : { server })),
  );
}

async function readFreshnessConfig(client: CouchClient): Promise<FreshnessConfig> {
  return Object.fromEntries(
    await Promise.all(
      FRESHNESS_SECTIONS.map(async (section) => [section, await client.configSection(section)] as const),
    ),
  );
}

/**
 * `--config`: sets the series' combination on every node (nothing when it is in force already) and, the first time
 * on this target, records the [ken] and [view_updater] sections it leaves in force.
 */
async function applySettings(session: Session, config: ConfigCombination | undefined): Promise<void> {
  if (!session.configDimension || !config) return;
  await session.configDimension.apply(config);
  const { store } = session.inputs;
  const label = combinationLabel(config);
  const known = store.snapshot.targets.find((target) => target.id === session.targetId);
  if (known?.configured?.some((entry) => combinationLabel(entry.config) === label)) return;
  const freshnessConfig = await readFreshnessConfig(session.client);
  await store.updateTarget(session.targetId, (target) => ({
    ...target,
    configured: [...(target.configured ?? []), { config: [...config], freshnessConfig }],
  }));
}

/** A server with its own language and no sources for this design doc is not a failure to register. */
function skipsByDesign(server: string, template: DesignDocTemplate): boolean {
  const spec = queryServer(server);
  return spec?.ownSources === true && !template.languages?.[spec.language];
}

interface Session {
  inputs: IngestInputs;
  client: CouchClient;
  edge: HttpEdge;
  targetId: string;
  /** Every series measured on the target (their knees are recomputed after each step). */
  series: Series[];
  configDimension?: ConfigDimension;
}

/** `<target>/<server>/<rate>`; with `--config` the combination's label before the rate. */
export function stepKey(targetId: string, series: Series, rate: number): string {
  const config = series.config ? `/${combinationLabel(series.config)}` : "";
  return `${targetId}/${series.server}${config}/${rate}`;
}

async function measure(
  session: Session,
  series: Series,
  rate: number,
  order: number,
  searched: boolean,
): Promise<void> {
  const { inputs, targetId } = session;
  const { store, settings, signal } = inputs;
  const { server } = series;
  const key = stepKey(targetId, series, rate);
  if (store.has(key)) return;
  signal.throwIfAborted();
  await applySettings(session, series.config);
  const config = series.config ? { config: [...series.config] } : {};
  inputs.emit({ type: "step-start", key, server, ...config, rate, searched });
  // Combinations are numbered in --config order: one database name per series and rate.
  const label = series.config && combinationLabel(series.config);
  const combination = label
    ? `c${(inputs.configCombinations ?? []).findIndex((each) => combinationLabel(each) === label) + 1}-`
    : "";
  const db = `${stepDatabasePrefix(inputs.runId)}${server}-${combination}${rate}`;
  const startedAt = new Date().toISOString();
  const spec = queryServer(server, inputs.queryServers);
  const language = spec?.language ?? server;
  const runsViews = spec?.runsViews ?? true;
  const head = { key, targetId, server, ...config, rate, order, searched, startedAt, database: db };
  let step: IngestStep;
  try {
    const measured = await measureStep({
      // A server that runs no views never shows a sentinel: waiting for one would only cost the drain timeout.
      settings: { ...settings, rate, ...(runsViews ? {} : { drainTimeoutMs: 0 }) },
      client: session.client,
      edge: session.edge,
      db,
      server,
      language,
      template: inputs.template,
      dataset: inputs.dataset,
      buildId: `${inputs.runId}-${rate}`,
      signal,
      onProgress: (progress) => inputs.emit({ type: "step-progress", key, progress }),
    });
    const verdict = judgeStep(measured, settings.freshness, settings.maxLagMs, runsViews);
    step = { ...head, ...verdict, ...measured };
  } catch (error) {
    if (signal.aborted) throw error;
    step = { ...head, outcome: "errored", reasons: [], error: describeFailure(error) };
  }
  const knees = session.series.map((each) => kneeOf([...store.snapshot.steps, step], targetId, each));
  const merged = [...store.snapshot.knees.filter((knee) => knee.targetId !== targetId), ...knees];
  await store.addStep(step, merged);
  // The series' own knee, among those just computed: the one whose steps take this step's key.
  const own = session.series.findIndex((each) => stepKey(targetId, each, rate) === key);
  inputs.emit({ type: "step", step, knee: knees[own]! });
}

/** The knee of one series on one target, from its measured (not errored) steps. */
export function kneeOf(steps: readonly IngestStep[], targetId: string, series: Series): IngestKnee {
  const label = combinationLabel(series.config ?? []);
  const own = steps.filter(
    (step) =>
      step.targetId === targetId &&
      step.server === series.server &&
      combinationLabel(step.config ?? []) === label &&
      step.outcome !== "errored",
  );
  const knee = findKnee(own.map((step) => ({ rate: step.rate, sustained: step.outcome === "sustained" })));
  const atKnee = own.find((step) => step.rate === knee.sustainableRate);
  return {
    targetId,
    server: series.server,
    ...(series.config ? { config: [...series.config] } : {}),
    ...knee,
    ...(atKnee?.lag ? { lagP95Ms: atKnee.lag.p95Ms } : {}),
  };
}

/** Every step database of a run starts with this (lower-case, as CouchDB wants). */
function stepDatabasePrefix(runId: string): string {
  return `couchbench-ingest-${runId}-`.toLowerCase().replace(/[^a-z0-9_$()+/-]/g, "-");
}

/** After an interruption: the step database a run left on a CouchDB that keeps running (url target). */
export async function dropStepDatabases(url: string, runId: string): Promise<void> {
  const client = new CouchClient(url);
  for (const db of (await client.allDatabases()).filter((name) => name.startsWith(stepDatabasePrefix(runId))))
    await client.deleteDatabase(db);
}
