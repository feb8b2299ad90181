/**
 * One step: one server at one offered rate, in a fresh database. Writes on the open-model
 * schedule for `warmupMs + durationMs`, measures lag with sentinels (and, in reader mode, reads
 * with `update=true`), waits for the backlog to drain, deletes the database. Emits progress and
 * returns what it measured; judging the step is verdict.ts's.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { CouchClient } from "../../couch/couch-client.js";
import type { Freshness, IngestStep } from "../../results/ingest-format.js";
import type { Dataset } from "../datasets/index.js";
import { renderDesignDoc, triggerQuery, type DesignDocTemplate } from "../design-docs.js";
import { loadDocuments } from "../loader.js";
import type { HttpEdge } from "./http-edge.js";
import { LatencyHistogram } from "./latency-histogram.js";
import { runOpenLoop, type RequestTiming } from "./open-loop.js";
import { docsPerRequest, dueMs, isSentinelRequest, requestsIn, type WriteMode } from "./schedule.js";
import { SentinelProber } from "./sentinel-prober.js";
import { SENTINEL_FIELD, SENTINEL_VIEW, sentinelView } from "./sentinel-view.js";
import { theilSen, thin } from "./trend.js";

export interface StepSettings {
  rate: number;
  write: WriteMode;
  freshness: Freshness;
  readers: number;
  readRatePerReader: number;
  durationMs: number;
  warmupMs: number;
  drainTimeoutMs: number;
  sentinelIntervalMs: number;
  probeIntervalMs: number;
  maxInFlight: number;
  preload: number;
  q: number;
  n?: number;
}

export interface StepInputs {
  settings: StepSettings;
  client: CouchClient;
  edge: HttpEdge;
  db: string;
  server: string;
  language: string;
  template: DesignDocTemplate;
  dataset: Dataset;
  /** Unique per step: names the design doc. */
  buildId: string;
  signal: AbortSignal;
  onProgress?: (progress: StepProgress) => void;
}

export interface StepProgress {
  phase: "writing" | "draining";
  elapsedMs: number;
  docsAcked: number;
  /** Lag of the newest sentinel seen. */
  lastLagMs?: number;
}

/** A trend smaller than this over a whole step is not a backlog (see trend.ts). */
const TREND_TOLERANCE_MS = 100;
/** Rows a reader asks for: an application reading a page, not the whole view. */
const READ_LIMIT = 10;
const PROGRESS_EVERY_MS = 2000;
const SERIES_POINTS = 600;

type Measured = Omit<
  IngestStep,
  "key" | "targetId" | "server" | "rate" | "order" | "searched" | "outcome" | "reasons" | "startedAt"
>;

export async function measureStep(inputs: StepInputs): Promise<Measured> {
  const { client, db, settings, signal } = inputs;
  await client.deleteDatabase(db);
  await client.createDatabase(db, settings.q, settings.n);
  try {
    const ddocId = await installDesignDoc(inputs);
    return await writeAndWatch(inputs, ddocId);
  } finally {
    if (!signal.aborted) await client.deleteDatabase(db);
  }
}

async function installDesignDoc(inputs: StepInputs): Promise<string> {
  const { client, db, settings, template, language } = inputs;
  const rendered = renderDesignDoc(template, language, inputs.buildId, inputs.server);
  const ddoc = {
    ...rendered,
    // Background mode: CouchDB's ken keeps the index fresh. Reader mode: only the readers do.
    autoupdate: settings.freshness === "background",
    views: { ...rendered.views, [SENTINEL_VIEW]: sentinelView(language) },
  };
  await client.putDocument(db, ddoc);
  if (settings.preload > 0)
    await loadDocuments(client, db, inputs.dataset, 0, settings.preload, { batchSize: 1000, concurrency: 4 });
  // Built once before the writes start, so the stale reads of the prober find an index.
  const trigger = triggerQuery(template);
  await client.queryView(db, ddoc._id, trigger.view, trigger.query);
  return ddoc._id;
}

async function writeAndWatch(inputs: StepInputs, ddocId: string): Promise<Measured> {
  const { settings, edge, db, signal } = inputs;
  const perRequest = docsPerRequest(settings.write);
  const requestCount = requestsIn(settings.warmupMs + settings.durationMs, settings.rate, perRequest);
  const due = (index: number) => dueMs(index, settings.rate, perRequest);
  const viewPath = (view: string) => `${encodeURIComponent(db)}/${ddocId}/_view/${encodeURIComponent(view)}`;

  // Sentinel seq (1-based) → its request, and the request's acknowledgement.
  const sentinelOfRequest = new Map<number, number>();
  const sentinelRequest: number[] = [0];
  const ackAt = new Map<number, number>();
  const writeLatency = new LatencyHistogram();
  const sendDelay = new LatencyHistogram();
  let writeErrors = 0;
  let firstWriteError: string | undefined;
  let docsAcked = 0;
  let windowDocs = 0;
  let writeRequests = 0;
  let lastAck = 0;

  const prober = new SentinelProber(async (from) => {
    const answer = await edge.request(
      "GET",
      `${viewPath(SENTINEL_VIEW)}?update=false&startkey=${from}`,
      undefined,
      signal,
    );
    if (answer.status !== 200) throw new Error(`sentinel view answered ${answer.status}`);
    return (JSON.parse(answer.body) as { rows: Array<{ key: number }> }).rows.map((row) => row.key);
  }, settings.probeIntervalMs);
  const stopProber = new AbortController();
  const stopReaders = new AbortController();
  const probing = prober.run(AbortSignal.any([stopProber.signal, signal]));

  const startedAt = performance.now();
  const windowStart = () => startedAt + settings.warmupMs;
  const windowEnd = () => windowStart() + settings.durationMs;
  const readLatency = new LatencyHistogram();
  const readSeries: Array<[number, number]> = [];
  let readErrors = 0;
  const reading =
    settings.freshness === "reader"
      ? startReaders(inputs, viewPath, stopReaders.signal, (timing, error) => {
          if (timing.dueAt < windowStart() || timing.dueAt >= windowEnd()) return;
          if (error) {
            readErrors++;
            return;
          }
          readLatency.record(timing.doneAt - timing.dueAt);
          readSeries.push([(timing.dueAt - windowStart()) / 1000, timing.doneAt - timing.dueAt]);
        })
      : [];

  const newestLag = (): number | undefined => {
    for (let seq = sentinelRequest.length - 1; seq >= 1; seq--) {
      const sighting = prober.sighting(seq);
      const acked = ackAt.get(seq);
      if (sighting && acked !== undefined) return Math.max(0, sighting.seenAt - acked);
    }
    return undefined;
  };
  let phase: StepProgress["phase"] = "writing";
  const progress = setInterval(() => {
    const lastLagMs = newestLag();
    inputs.onProgress?.({
      phase,
      elapsedMs: performance.now() - startedAt,
      docsAcked,
      ...(lastLagMs !== undefined ? { lastLagMs } : {}),
    });
  }, PROGRESS_EVERY_MS);
  try {
    await runOpenLoop({
      startedAt,
      dueMs: due,
      count: requestCount,
      maxInFlight: settings.maxInFlight,
      signal,
      send: async (index) => {
        if (
          index === requestCount - 1 ||
          isSentinelRequest(index, settings.rate, perRequest, settings.sentinelIntervalMs)
        ) {
          sentinelOfRequest.set(index, sentinelRequest.length);
          sentinelRequest.push(index);
        }
        await sendWrite(inputs, index, perRequest, sentinelOfRequest.get(index));
      },
      onDone: (index, timing: RequestTiming, error) => {
        writeRequests++;
        sendDelay.record(timing.sentAt - timing.dueAt);
        if (error) {
          writeErrors++;
          firstWriteError ??= (error as Error).message;
          return;
        }
        docsAcked += perRequest;
        lastAck = Math.max(lastAck, timing.doneAt);
        const seq = sentinelOfRequest.get(index);
        if (seq !== undefined) ackAt.set(seq, timing.doneAt);
        if (timing.dueAt >= windowStart()) {
          writeLatency.record(timing.doneAt - timing.dueAt);
          windowDocs += perRequest;
        }
      },
    });
    phase = "draining";
    const drainMs = await drain(prober, [...ackAt.keys()], lastAck, settings, signal);
    return {
      offeredRate: settings.rate,
      // The measured window's documents over the time they took to be acknowledged (at least the window itself):
      // never above the offered rate, and below it by as much as the writes fell behind.
      achievedRate: windowDocs / (Math.max(settings.durationMs, lastAck - windowStart()) / 1000),
      docsWritten: docsAcked,
      writeRequests,
      writeErrors,
      ...(firstWriteError ? { error: `first failed write: ${firstWriteError}` } : {}),
      writeLatency: writeLatency.summary(),
      sendDelay: sendDelay.summary(),
      ...lagOf(prober, sentinelRequest, ackAt, (index) => due(index) >= settings.warmupMs, windowStart()),
      ...(settings.freshness === "reader"
        ? {
            readLatency: readLatency.summary(),
            readErrors,
            readSeries: thin(readSeries, SERIES_POINTS),
            ...trendField("readTrend", readSeries, TREND_TOLERANCE_MS),
          }
        : {}),
      ...(drainMs !== undefined ? { drainMs } : {}),
    };
  } finally {
    clearInterval(progress);
    stopReaders.abort();
    stopProber.abort();
    await Promise.allSettled([probing, ...reading]);
  }
}

/** Documents [index·perRequest, (index+1)·perRequest) after the preload; the first carries the sentinel. */
async function sendWrite(inputs: StepInputs, index: number, perRequest: number, sentinel?: number): Promise<void> {
  const { dataset, edge, db, signal, settings } = inputs;
  const docs = Array.from({ length: perRequest }, (_, k) => {
    const doc = dataset.docAt(settings.preload + index * perRequest + k) as Record<string, unknown> & { _id: string };
    return k === 0 && sentinel !== undefined ? { ...doc, [SENTINEL_FIELD]: sentinel } : doc;
  });
  if (settings.write.kind === "single") {
    const doc = docs[0]!;
    const answer = await edge.request(
      "PUT",
      `${encodeURIComponent(db)}/${encodeURIComponent(doc._id)}`,
      JSON.stringify(doc),
      signal,
    );
    if (answer.status !== 201 && answer.status !== 202)
      throw new Error(`PUT answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    return;
  }
  const answer = await edge.request("POST", `${encodeURIComponent(db)}/_bulk_docs`, JSON.stringify({ docs }), signal);
  if (answer.status !== 201 && answer.status !== 202)
    throw new Error(`_bulk_docs answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const rejected = (JSON.parse(answer.body) as Array<{ error?: string; reason?: string; id: string }>).find(
    (r) => r.error,
  );
  if (rejected) throw new Error(`_bulk_docs rejected ${rejected.id}: ${rejected.error} ${rejected.reason ?? ""}`);
}

/** `readers` open loops at `readRatePerReader`, staggered evenly, until `stop`. */
function startReaders(
  inputs: StepInputs,
  viewPath: (view: string) => string,
  stop: AbortSignal,
  onRead: (timing: RequestTiming, error?: unknown) => void,
): Array<Promise<unknown>> {
  const { settings, edge, template, signal } = inputs;
  const trigger = triggerQuery(template);
  const reduce = "reduce" in trigger.query ? "&reduce=false" : "";
  const path = `${viewPath(trigger.view)}?update=true&limit=${READ_LIMIT}${reduce}`;
  const periodMs = 1000 / settings.readRatePerReader;
  return Array.from({ length: settings.readers }, (_, reader) =>
    runOpenLoop({
      dueMs: (index) => index * periodMs + (reader * periodMs) / settings.readers,
      maxInFlight: settings.maxInFlight,
      stop,
      signal,
      send: async () => {
        const answer = await edge.request("GET", path, undefined, signal);
        if (answer.status !== 200) throw new Error(`read answered ${answer.status}`);
      },
      onDone: (_index, timing, error) => onRead(timing, error),
    }).catch(() => undefined),
  );
}

/** Waits until every acknowledged sentinel was seen; the time from the last ack, or undefined on timeout. */
async function drain(
  prober: SentinelProber,
  acked: number[],
  lastAck: number,
  settings: StepSettings,
  signal: AbortSignal,
): Promise<number | undefined> {
  const deadline = lastAck + settings.drainTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    if (acked.every((seq) => prober.sighting(seq))) {
      const lastSeen = Math.max(...acked.map((seq) => prober.sighting(seq)!.seenAt), lastAck);
      return lastSeen - lastAck;
    }
    if (performance.now() >= deadline) return undefined;
    await sleep(settings.probeIntervalMs, undefined, { signal }).catch(() => undefined);
  }
}

/** Lag of the sentinels written in the measured window. */
function lagOf(
  prober: SentinelProber,
  sentinelRequest: readonly number[],
  ackAt: ReadonlyMap<number, number>,
  measured: (requestIndex: number) => boolean,
  windowStart: number,
): Pick<Measured, "lag" | "sentinels" | "unseenSentinels" | "lagResolutionMs" | "lagSeries" | "lagTrend"> {
  const lag = new LatencyHistogram();
  const series: Array<[number, number]> = [];
  const resolutions: number[] = [];
  let sentinels = 0;
  let unseen = 0;
  for (let seq = 1; seq < sentinelRequest.length; seq++) {
    const acked = ackAt.get(seq);
    if (!measured(sentinelRequest[seq]!) || acked === undefined) continue;
    sentinels++;
    const sighting = prober.sighting(seq);
    if (!sighting) {
      unseen++;
      continue;
    }
    const ms = Math.max(0, sighting.seenAt - acked);
    lag.record(ms);
    series.push([(acked - windowStart) / 1000, ms]);
    resolutions.push(sighting.resolutionMs);
  }
  resolutions.sort((a, b) => a - b);
  const resolutionP50 = resolutions.length > 0 ? resolutions[Math.floor(resolutions.length / 2)]! : 0;
  return {
    lag: lag.summary(),
    sentinels,
    unseenSentinels: unseen,
    ...(resolutions.length > 0 ? { lagResolutionMs: { maxMs: resolutions.at(-1)!, p50Ms: resolutionP50 } } : {}),
    lagSeries: thin(series, SERIES_POINTS),
    ...trendField("lagTrend", series, Math.max(TREND_TOLERANCE_MS, 2 * resolutionP50)),
  };
}

function trendField<K extends "lagTrend" | "readTrend">(
  key: K,
  series: ReadonlyArray<readonly [number, number]>,
  toleranceMs: number,
): Partial<Record<K, NonNullable<Measured[K]>>> {
  const trend = theilSen(
    series.map(([s, ms]) => [s * 1000, ms] as const),
    toleranceMs,
  );
  return trend ? ({ [key]: trend } as Partial<Record<K, NonNullable<Measured[K]>>>) : {};
}
