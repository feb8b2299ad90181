/**
 * One measured run of one query server: start it, feed it a whole view build the way CouchDB
 * would (see view-build-stream.ts), and time each phase. Prints nothing; progress goes
 * through `onProgress`.
 */
import { performance } from "node:perf_hooks";
import { COUCH_BTREE_CHUNK_BYTES, chunkify } from "./btree-chunks.js";
import { compareRowKeys } from "./couch-collation.js";
import { QueryServerError, ServerProcess, preview, type ServerSpec } from "./server-process.js";
import { latencySummary } from "./stats.js";
import {
  couchDocJson,
  mapDocLine,
  reduceLine,
  rereduceLine,
  resetLine,
  setupLines,
  type ReduceGroup,
  type ViewBuildPlan,
} from "./view-build-stream.js";
import type { ViewRow } from "../../queryserver/protocol.js";
import type { RunSample } from "../../results/qs-bench-format.js";

export interface MeasureOptions {
  plan: ViewBuildPlan;
  docCount: number;
  docAt: (index: number) => Record<string, unknown>;
  /** CouchDB's os_process_timeout: the longest wait for one answer line. */
  replyTimeoutMs: number;
  onProgress?: (docsDone: number) => void;
}

const PROGRESS_EVERY_DOCS = 1000;

export async function measureServer(
  spec: ServerSpec,
  options: MeasureOptions,
): Promise<Omit<RunSample, "repeat" | "position">> {
  const startedAt = performance.now();
  const server = new ServerProcess(spec, options.replyTimeoutMs);
  try {
    expectTrue(server, await server.request(resetLine(), "the first reset"), "the first reset");
    const startupMs = performance.now() - startedAt;
    for (const line of setupLines(options.plan)) expectTrue(server, await server.request(line, "add_fun"), "add_fun");
    const map = await mapPhase(server, options);
    const reduce = { ms: 0, reduceCalls: 0, rereduceCalls: 0 };
    for (const [index, group] of options.plan.reduceGroups.entries()) {
      await buildReduceTree(server, group, map.rowsByGroup[index]!, reduce);
    }
    const usage = await server.usage();
    const latency = latencySummary(map.latenciesMs);
    return {
      startupMs,
      docs: options.docCount,
      docBytes: map.docBytes,
      mapMs: map.mapMs,
      docsPerSecond: options.docCount / (map.mapMs / 1000),
      megabytesPerSecond: map.docBytes / 1e6 / (map.mapMs / 1000),
      latencyP50Ms: latency.p50,
      latencyP99Ms: latency.p99,
      reduceMs: reduce.ms,
      reduceCalls: reduce.reduceCalls,
      rereduceCalls: reduce.rereduceCalls,
      cpuMs: usage?.cpuMs ?? null,
      peakMemoryBytes: usage?.peakMemoryBytes ?? null,
    };
  } finally {
    await server.close();
  }
}

/**
 * Map time is the sum of the per-document round trips, from writing the line to reading the
 * answer: generating and serialising the next document is our work, not the server's.
 */
async function mapPhase(server: ServerProcess, options: MeasureOptions) {
  const { plan } = options;
  const latenciesMs = new Float64Array(options.docCount);
  const rowsByGroup: ViewRow[][] = plan.reduceGroups.map(() => []);
  let docBytes = 0;
  let mapMs = 0;
  for (let index = 0; index < options.docCount; index += 1) {
    const doc = options.docAt(index);
    const id = String(doc._id);
    const docJson = couchDocJson(doc);
    const line = mapDocLine(docJson);
    docBytes += Buffer.byteLength(docJson);
    const sentAt = performance.now();
    const answer = await server.request(line, `map_doc of "${id}"`);
    latenciesMs[index] = performance.now() - sentAt;
    mapMs += latenciesMs[index]!;
    const emitted = checkMapAnswer(server, answer, plan.mapSources.length, id);
    plan.reduceGroups.forEach((group, groupIndex) => {
      for (const [key, value] of emitted[group.mapIndex]!) rowsByGroup[groupIndex]!.push([[key, id], value]);
    });
    if ((index + 1) % PROGRESS_EVERY_DOCS === 0) options.onProgress?.(index + 1);
  }
  return { latenciesMs, rowsByGroup, docBytes, mapMs };
}

/**
 * Builds the view's B-tree bottom-up as CouchDB's bulk writer shapes it: one `reduce` per
 * leaf, then per inner node one `rereduce` per function, each after its own `reset`. Like map
 * time, `totals.ms` counts only the round trips (resets included), not our sorting and batching.
 */
async function buildReduceTree(
  server: ServerProcess,
  group: ReduceGroup,
  rows: ViewRow[],
  totals: { ms: number; reduceCalls: number; rereduceCalls: number },
): Promise<void> {
  const roundTrip = async (line: string, what: string) => {
    const sentAt = performance.now();
    expectTrue(server, await server.request(resetLine(), "reset"), "reset");
    const answer = await server.request(line, what);
    totals.ms += performance.now() - sentAt;
    return answer;
  };
  rows.sort((a, b) => compareRowKeys(a[0], b[0]));
  let level: { lastKey: unknown; reductions: unknown[] }[] = [];
  for (const leaf of chunkify(rows, (row) => Buffer.byteLength(JSON.stringify(row)), COUCH_BTREE_CHUNK_BYTES)) {
    const answer = await roundTrip(reduceLine(group.sources, leaf), "reduce");
    level.push({
      lastKey: leaf.at(-1)![0],
      reductions: checkReduceAnswer(server, answer, group.sources.length, "reduce"),
    });
    totals.reduceCalls += 1;
  }
  while (level.length > 1) {
    const parents: typeof level = [];
    // An inner-node entry is {LastKey, {Pointer, Reduction, Size}}: our JSON's member names
    // stand in for the two integers.
    for (const node of chunkify(level, (entry) => Buffer.byteLength(JSON.stringify(entry)))) {
      const reductions: unknown[] = [];
      for (const [index, source] of group.sources.entries()) {
        const answer = await roundTrip(
          rereduceLine(
            source,
            node.map((child) => child.reductions[index]),
          ),
          "rereduce",
        );
        reductions.push(checkReduceAnswer(server, answer, 1, "rereduce")[0]);
        totals.rereduceCalls += 1;
      }
      parents.push({ lastKey: node.at(-1)!.lastKey, reductions });
    }
    level = parents;
  }
}

function expectTrue(server: ServerProcess, answer: unknown, what: string): void {
  if (answer !== true) throw garbage(server, what, "true", answer);
}

function checkMapAnswer(server: ServerProcess, answer: unknown, functions: number, id: string): [unknown, unknown][][] {
  const valid =
    Array.isArray(answer) &&
    answer.length === functions &&
    answer.every((rows) => Array.isArray(rows) && rows.every((row) => Array.isArray(row) && row.length === 2));
  if (!valid)
    throw garbage(server, `map_doc of "${id}"`, `one list of [key, value] per function (${functions})`, answer);
  return answer as [unknown, unknown][][];
}

function checkReduceAnswer(server: ServerProcess, answer: unknown, functions: number, what: string): unknown[] {
  if (Array.isArray(answer) && answer[0] === true && Array.isArray(answer[1]) && answer[1].length === functions)
    return answer[1];
  throw garbage(server, what, `[true, [one result per function (${functions})]]`, answer);
}

function garbage(server: ServerProcess, what: string, expected: string, answer: unknown): QueryServerError {
  return new QueryServerError(
    `server "${server.name}" answered ${what} with ${preview(JSON.stringify(answer) ?? "nothing")}, expected ${expected}`,
  );
}
