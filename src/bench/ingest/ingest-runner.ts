/**
 * `couchbench ingest`, the measuring part: start (or reach) CouchDB, check which servers it
 * runs, record its ken and view_updater settings, then measure every server at every rate
 * (servers rotated from rate to rate), and with `--find-max` keep measuring the rate between
 * the highest sustained and the first unsustained one until the knee is within ±10%. Every
 * step is on disk before the next starts. Emits events; prints nothing.
 */
import { CouchClient } from "../../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, registrationHint } from "../../couch/probe.js";
import { MANGO_LANGUAGE, queryServer, type ServerCommand } from "../../couch/query-servers.js";
import { lifecycleMessages, type CouchTarget, type StartedCouch } from "../../couch/targets/target.js";
import type { IngestKnee, IngestStep, IngestTarget } from "../../results/ingest-format.js";
import type { IngestStore } from "../../results/ingest-store.js";
import type { Dataset } from "../datasets/index.js";
import { firstView, type DesignDocTemplate } from "../design-docs.js";
import { rotation } from "../plan.js";
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
  store: IngestStore;
  emit: (event: IngestEvent) => void;
  /** Ctrl-C: the step in flight is dropped (not recorded; `--resume` redoes it), the target stops. */
  signal: AbortSignal;
}

export type IngestEvent =
  | { type: "target"; message: string }
  | { type: "ready"; target: IngestTarget; servers: string[]; missing: Array<{ server: string; reason: string }> }
  | { type: "step-start"; key: string; server: string; rate: number; searched: boolean }
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
  try {
    await ingestOn(inputs, couch);
  } catch (error) {
    throw signal.aborted ? error : await explainLostCouch(error, target, couch);
  } finally {
    if (lifecycle.stop) inputs.emit({ type: "target", message: lifecycle.stop });
    await couch.stop();
  }
}

async function ingestOn(inputs: IngestInputs, couch: StartedCouch): Promise<void> {
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
  const freshnessConfig = Object.fromEntries(
    await Promise.all(
      FRESHNESS_SECTIONS.map(async (section) => [section, await client.configSection(section)] as const),
    ),
  );
  const described: IngestTarget = { ...info, freshnessConfig };
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
    const session: Session = { inputs, client, edge, targetId: target.id, servers };
    for (const [r, rate] of settings.rates.entries())
      for (const [i, server] of rotation(servers, r).entries()) await measure(session, server, rate, i + 1, false);
    if (!settings.findMax) return;
    for (let round = settings.rates.length; ; round++) {
      const next = rotation(servers, round).flatMap((server) => {
        const rate = nextSearchRate(kneeOf(store.snapshot.steps, target.id, server), settings.searchLimits);
        return rate === undefined ? [] : [{ server, rate }];
      });
      if (next.length === 0) return;
      for (const [i, { server, rate }] of next.entries()) await measure(session, server, rate, i + 1, true);
    }
  } finally {
    edge.close();
  }
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
  servers: string[];
}

export function stepKey(targetId: string, server: string, rate: number): string {
  return `${targetId}/${server}/${rate}`;
}

async function measure(
  session: Session,
  server: string,
  rate: number,
  order: number,
  searched: boolean,
): Promise<void> {
  const { inputs, targetId } = session;
  const { store, settings, signal } = inputs;
  const key = stepKey(targetId, server, rate);
  if (store.has(key)) return;
  signal.throwIfAborted();
  inputs.emit({ type: "step-start", key, server, rate, searched });
  const db = `${stepDatabasePrefix(inputs.runId)}${server}-${rate}`;
  const startedAt = new Date().toISOString();
  const spec = queryServer(server, inputs.queryServers);
  const language = spec?.language ?? server;
  const runsViews = spec?.runsViews ?? true;
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
    step = { key, targetId, server, rate, order, searched, startedAt, database: db, ...verdict, ...measured };
  } catch (error) {
    if (signal.aborted) throw error;
    step = {
      key,
      targetId,
      server,
      rate,
      order,
      searched,
      startedAt,
      database: db,
      outcome: "errored",
      reasons: [],
      error: describeFailure(error),
    };
  }
  const knees = session.servers.map((name) => ({ ...kneeOf([...store.snapshot.steps, step], targetId, name) }));
  const merged = [...store.snapshot.knees.filter((knee) => knee.targetId !== targetId), ...knees];
  await store.addStep(step, merged);
  inputs.emit({ type: "step", step, knee: knees.find((knee) => knee.server === server)! });
}

/** The knee of one server on one target, from its measured (not errored) steps. */
export function kneeOf(steps: readonly IngestStep[], targetId: string, server: string): IngestKnee {
  const own = steps.filter(
    (step) => step.targetId === targetId && step.server === server && step.outcome !== "errored",
  );
  const knee = findKnee(own.map((step) => ({ rate: step.rate, sustained: step.outcome === "sustained" })));
  const atKnee = own.find((step) => step.rate === knee.sustainableRate);
  return {
    targetId,
    server,
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
