import { randomBytes } from "node:crypto";
import type { CouchClient } from "../couch/couch-client.js";
import { queryServer } from "../couch/query-servers.js";
import { renderDesignDoc, type DesignDocTemplate } from "./design-docs.js";
import { timeIndexBuild, timeQuery, type BuildProgress } from "./index-build.js";
import { relevantStats, statsDelta } from "./query-server-stats.js";
import type { BuildMetrics } from "../results/results-format.js";
import { readViewOutput, type ViewOutput } from "./view-output.js";

export interface BuildRequest {
  client: CouchClient;
  db: string;
  template: DesignDocTemplate;
  server: string;
  /** Unique per build: with the server name it makes the index signature new. */
  buildId: string;
  docCount: number;
  docBytes: number;
  verify: boolean;
  onProgress?: (progress: BuildProgress) => void;
}

export interface BuildOutcome {
  designDocId: string;
  language: string;
  build: BuildMetrics;
  reduceMs?: number;
  output?: ViewOutput;
  queryServerStats: Record<string, number>;
}

/**
 * The index of a build measured before the run was interrupted, built again (untimed) after
 * `--resume`: the database it lived in is gone, and its incremental update still needs timing.
 */
export async function rebuildIndex(request: Pick<BuildRequest, "client" | "db" | "template" | "server" | "buildId">): Promise<string> {
  const { ddoc } = await installDesignDoc(request);
  await timeIndexBuild(request.client, request.db, ddoc._id, request.template);
  return ddoc._id;
}

async function installDesignDoc(request: Pick<BuildRequest, "client" | "db" | "template" | "server" | "buildId">): Promise<{ ddoc: { _id: string }; language: string }> {
  const language = queryServer(request.server)?.language ?? request.server;
  const ddoc = renderDesignDoc(request.template, language, request.buildId, request.server);
  await request.client.putDocument(request.db, ddoc);
  return { ddoc, language };
}

export function newBuildId(runId: string, repeat: number): string {
  return `${runId}-r${repeat}-${randomBytes(3).toString("hex")}`;
}

/** Installs one server's design doc, builds its index, and reads what the build produced. */
export async function measureBuild(request: BuildRequest): Promise<BuildOutcome> {
  const { client, db, template } = request;
  const spec = queryServer(request.server);
  const { ddoc, language } = await installDesignDoc(request);
  const statsBefore = relevantStats(await client.nodeStats().catch(() => ({})));
  const ms = await timeIndexBuild(client, db, ddoc._id, template, request.onProgress);
  const queryServerStats = statsDelta(statsBefore, relevantStats(await client.nodeStats().catch(() => ({}))));
  const reduceView = Object.entries(template.views).find(([, source]) => source.reduce !== undefined)?.[0];
  const reduceMs = reduceView ? await timeQuery(() => client.queryView(db, ddoc._id, reduceView, { reduce: true })) : undefined;
  const output = request.verify && spec?.runsViews !== false ? await readViewOutput(client, db, ddoc._id, template) : undefined;
  return {
    designDocId: ddoc._id,
    language,
    build: {
      ms,
      docsPerSec: request.docCount / (ms / 1000),
      mbPerSec: request.docBytes / 1e6 / (ms / 1000),
      rowsByView: output?.rowsByView ?? {},
    },
    ...(reduceMs !== undefined ? { reduceMs } : {}),
    ...(output ? { output } : {}),
    queryServerStats,
  };
}
