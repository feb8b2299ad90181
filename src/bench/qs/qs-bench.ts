/**
 * qs-bench: every server gets the same view build (same documents, same design doc), `repeat`
 * times, the servers alternating in an order that rotates every repeat; medians are quoted.
 * Emits events and returns the result; prints nothing.
 */
import type { HostEnvironment } from "../../results/results-format.js";
import { COUCH_BTREE_CHUNK_BYTES } from "./btree-chunks.js";
import { measureServer } from "./measure-server.js";
import {
  QS_BENCH_FORMAT,
  QS_BENCH_FORMAT_VERSION,
  type QsBenchResult,
  type RunSample,
  type ServerSummary,
} from "../../results/qs-bench-format.js";
import type { ServerSpec } from "./server-process.js";
import { rotation } from "../plan.js";
import { medianOf } from "./stats.js";
import { planViewBuild, type ViewDefinitions } from "./view-build-stream.js";

export interface QsBenchInput {
  servers: ServerSpec[];
  /** Name of the server the others are compared with. */
  baseline: string;
  designDoc: ViewDefinitions & { source: string };
  dataset: { name: string; description: string; docAt(index: number): Record<string, unknown> };
  docs: number;
  repeat: number;
  seed: number;
  replyTimeoutMs: number;
  environment: HostEnvironment;
  onEvent?: (event: QsBenchEvent) => void;
}

export type QsBenchEvent =
  | { kind: "run-start"; server: string; repeat: number }
  | { kind: "progress"; server: string; docsDone: number; docs: number }
  | { kind: "run-end"; server: string; repeat: number; sample: RunSample };

export async function runQsBench(input: QsBenchInput): Promise<QsBenchResult> {
  const plan = planViewBuild(input.designDoc);
  const samples = new Map<string, RunSample[]>(input.servers.map((server) => [server.name, []]));
  for (let repeat = 0; repeat < input.repeat; repeat += 1) {
    for (const [position, server] of rotation(input.servers, repeat).entries()) {
      input.onEvent?.({ kind: "run-start", server: server.name, repeat });
      const measured = await measureServer(server, {
        plan,
        docCount: input.docs,
        docAt: (index) => input.dataset.docAt(index),
        replyTimeoutMs: input.replyTimeoutMs,
        onProgress: (docsDone) =>
          input.onEvent?.({ kind: "progress", server: server.name, docsDone, docs: input.docs }),
      });
      const sample = { repeat, position, ...measured };
      samples.get(server.name)!.push(sample);
      input.onEvent?.({ kind: "run-end", server: server.name, repeat, sample });
    }
  }
  const summaries = summarise(samples, input.baseline);
  return {
    format: QS_BENCH_FORMAT,
    formatVersion: QS_BENCH_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    settings: {
      dataset: input.dataset.name,
      datasetDescription: input.dataset.description,
      designDoc: input.designDoc.source,
      docs: input.docs,
      repeat: input.repeat,
      seed: input.seed,
      baseline: input.baseline,
      btreeChunkBytes: COUCH_BTREE_CHUNK_BYTES,
      replyTimeoutMs: input.replyTimeoutMs,
    },
    environment: input.environment,
    servers: input.servers.map((server) => ({
      name: server.name,
      command: server.command,
      summary: summaries.get(server.name)!,
      samples: samples.get(server.name)!,
    })),
  };
}

/** Medians per server over its repeats, and its map time relative to the baseline's. */
export function summarise(
  samplesByServer: ReadonlyMap<string, readonly RunSample[]>,
  baseline: string,
): Map<string, ServerSummary> {
  const medians = new Map(
    [...samplesByServer].map(([name, samples]) => {
      const of = (field: (sample: RunSample) => number) => medianOf(samples, field)!;
      return [
        name,
        {
          startupMs: of((s) => s.startupMs),
          mapMs: of((s) => s.mapMs),
          docsPerSecond: of((s) => s.docsPerSecond),
          megabytesPerSecond: of((s) => s.megabytesPerSecond),
          latencyP50Ms: of((s) => s.latencyP50Ms),
          latencyP99Ms: of((s) => s.latencyP99Ms),
          reduceMs: of((s) => s.reduceMs),
          cpuMs: medianOf(samples, (s) => s.cpuMs),
          peakMemoryBytes: medianOf(samples, (s) => s.peakMemoryBytes),
        },
      ] as const;
    }),
  );
  const baselineMapMs = medians.get(baseline)?.mapMs;
  if (baselineMapMs === undefined) throw new RangeError(`baseline "${baseline}" has no samples`);
  return new Map(
    [...medians].map(([name, summary]) => [name, { ...summary, relativeMapTime: summary.mapMs / baselineMapMs }]),
  );
}
