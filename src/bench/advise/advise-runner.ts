/**
 * `couchbench advise`, the measuring part: reach CouchDB, derive the variants, load scratch
 * databases, build every variant `repeat` times in rotated order, check every variant's view
 * output against the original's, then build and check the combination of the winning
 * design-doc changes. Emits events and returns the results; prints and writes nothing.
 */
import { cpus } from "node:os";
import { spread } from "../../core/stats.js";
import { CouchClient } from "../../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers } from "../../couch/probe.js";
import { queryServer } from "../../couch/query-servers.js";
import type { CouchTarget, StartedCouch } from "../../couch/targets/target.js";
import type { AdvisedVariant, AdviseBuild } from "../../results/advise-format.js";
import { splitBuildTime } from "../../results/build-time-split.js";
import type { TargetInfo } from "../../results/results-format.js";
import type { Dataset, DatasetSource } from "../datasets/index.js";
import { renderDesignDoc } from "../design-docs.js";
import { timeQuery } from "../index-build.js";
import { loadDocuments, waitUntilStored } from "../loader.js";
import { newBuildId, timeBuilds, type InstalledDesignDoc } from "../measure-build.js";
import { rotation } from "../plan.js";
import { describeFailure, explainLostCouch } from "../runner.js";
import { describeDifference, type ViewOutput } from "../view-output.js";
import { readVariantOutput } from "./variant-output.js";
import { withSequentialIds } from "./sequential-ids.js";
import {
  combineChanges,
  deriveVariants,
  type DerivedVariants,
  type DesignDocChange,
  type UserDesignDoc,
  type Variant,
  type VariantContext,
} from "./variants.js";
import { chooseChanges, judgeVariant } from "./verdicts.js";
import { databaseKey } from "./advise-plan.js";
import type { ConfigCombination } from "../../couch/config-settings.js";
import { ConfigDimension } from "../config/config-dimension.js";

export interface AdviseInputs {
  runId: string;
  target: CouchTarget;
  design: UserDesignDoc;
  dataset: Dataset;
  /** Where `dataset` came from: the same documents with other ids. */
  source: DatasetSource;
  /** Generated documents: advise may give them sequential ids. */
  generatedIds: boolean;
  docCount: number;
  repeat: number;
  batchSize: number;
  loadConcurrency: number;
  emit: (event: AdviseEvent) => void;
  /** Ctrl-C: no further build starts, requests in flight are aborted, the target stops what it started. */
  signal: AbortSignal;
  /** `--config`: settings to measure, each a variant; their values are put back on every node afterwards. */
  configCombinations?: readonly ConfigCombination[];
}

export type AdviseEvent =
  | { type: "target"; message: string }
  | { type: "plan"; derived: DerivedVariants; context: VariantContext }
  | { type: "loading"; db: string; q: number; ids: string }
  | { type: "load-progress"; docsDone: number; docsTotal: number }
  | { type: "build"; variant: Variant; repeat: number; build?: AdviseBuild; error?: string }
  | { type: "checked"; variant: Variant; output: AdvisedVariant["output"] }
  | { type: "combined"; changes: DesignDocChange[] };

export interface AdviseOutcome {
  target: TargetInfo;
  context: VariantContext;
  derived: DerivedVariants;
  variants: AdvisedVariant[];
  combined?: { variant: Variant; result: AdvisedVariant; changes: DesignDocChange[] };
}

/** The CouchDB default for a new database's q when cluster.q is not configured (CouchDB 3.x). */
const COUCHDB_DEFAULT_Q = 2;

export async function runAdvise(inputs: AdviseInputs): Promise<AdviseOutcome> {
  const { target } = inputs;
  inputs.emit({ type: "target", message: `starting ${target.label}` });
  const couch = await target.start((message) => inputs.emit({ type: "target", message }), inputs.signal);
  let settings: ConfigDimension | undefined;
  try {
    settings = await openSettings(inputs, couch);
    const outcome = await adviseOn(inputs, couch, settings);
    const restore = await settings?.finish();
    settings = undefined;
    return restore ? { ...outcome, target: { ...outcome.target, configRestore: restore } } : outcome;
  } catch (error) {
    throw inputs.signal.aborted ? error : await explainLostCouch(error, target, couch);
  } finally {
    // After a failure or Ctrl-C: every node gets its settings back before the target stops.
    await settings?.finish();
    inputs.emit({ type: "target", message: `stopping ${target.label}` });
    await couch.stop();
  }
}

/** `--config`: the target's nodes, warned about typos; undefined without settings to measure. */
async function openSettings(inputs: AdviseInputs, couch: StartedCouch): Promise<ConfigDimension | undefined> {
  if (!inputs.configCombinations?.length) return undefined;
  const progress = (message: string) => inputs.emit({ type: "target", message });
  return ConfigDimension.open(
    couch.url,
    inputs.target,
    inputs.configCombinations,
    { note: (_level, message) => Promise.resolve(progress(message)), restore: () => Promise.resolve(), progress },
    inputs.signal,
  );
}

async function adviseOn(
  inputs: AdviseInputs,
  couch: StartedCouch,
  settings: ConfigDimension | undefined,
): Promise<AdviseOutcome> {
  const { signal } = inputs;
  await assertAdmin(couch.url, signal);
  const availability = await probeQueryServers(couch.url, ["javascript", "quickjs", "typescript"], {}, signal);
  const { info } = await describeTarget(inputs.target, couch, availability, signal);
  const client = new CouchClient(couch.url, signal);
  const context = {
    ...(await variantContext(client, inputs, info, availability.available)),
    ...(inputs.configCombinations?.length ? { configCombinations: inputs.configCombinations } : {}),
  };
  const derived = deriveVariants(inputs.design, context);
  const all = [derived.original, ...derived.variants];
  const databases = new Scratch(client, inputs);
  inputs.emit({ type: "plan", derived, context });
  try {
    const measured = new Map(all.map((variant) => [variant.id, emptyResult(variant)]));
    const outputs = new Map<string, ViewOutput>();
    const readViews = derived.variants.find((variant) => variant.kind === "emit-null")?.emitNullViews ?? [];
    const session: Session = { inputs, client, readViews, outputs, reads: new Map(), databases, settings };
    for (let r = 0; r < inputs.repeat; r++) {
      for (const [i, variant] of rotation(all, r).entries()) {
        await measureOnce(session, await databases.for(variant), variant, r + 1, i + 1, measured.get(variant.id)!);
      }
    }
    const originalOutput = outputs.get("original");
    for (const variant of derived.variants)
      checkOutput(inputs, variant, measured.get(variant.id)!, originalOutput, outputs.get(variant.id));
    if (originalOutput) measured.get("original")!.output = { status: "reference" };
    const originalMs = measured.get("original")!.builds.map((build) => build.ms);
    const judged = all.map((variant) => judgeVariant(measured.get(variant.id)!, originalMs));
    const changes = chooseChanges(judged, derived.variants);
    if (changes.length === 0) return { target: info, context, derived, variants: judged };
    inputs.emit({ type: "combined", changes });
    const combined = combineChanges(inputs.design, derived.original, changes);
    // The original is built again beside it, in rotated pairs: the machine may have sped up or slowed down since.
    const result = emptyResult(combined);
    const baseline = emptyResult(derived.original);
    const pair = [derived.original, combined];
    for (let r = 0; r < inputs.repeat; r++) {
      for (const [i, variant] of rotation(pair, r).entries())
        await measureOnce(
          session,
          await databases.for(variant),
          variant,
          r + 1,
          i + 1,
          variant === combined ? result : baseline,
        );
    }
    checkOutput(inputs, combined, result, originalOutput, outputs.get(combined.id));
    const baselineMs = baseline.builds.map((build) => build.ms);
    const judgedCombined = { ...judgeVariant(result, baselineMs), baselineBuilds: baseline.builds };
    return {
      target: info,
      context,
      derived,
      variants: judged,
      combined: { variant: combined, result: judgedCombined, changes },
    };
  } finally {
    await databases.dropAll();
  }
}

async function variantContext(
  client: CouchClient,
  inputs: AdviseInputs,
  info: TargetInfo,
  availableServers: string[],
): Promise<VariantContext> {
  const configuredQ = Number.parseInt((await client.configValue("cluster", "q").catch(() => undefined)) ?? "", 10);
  // A url target on this machine, or local: the host is this one. Docker: the container's CPU limit, if any.
  const sameHost =
    info.kind === "local" || (info.kind === "url" && /^(localhost|127\.|\[::1\])/.test(new URL(info.url).host));
  const hostCores = info.cpus ?? (sameHost || info.kind === "docker" ? cpus().length : undefined);
  return {
    availableServers,
    defaultQ: Number.isSafeInteger(configuredQ) && configuredQ > 0 ? configuredQ : COUCHDB_DEFAULT_Q,
    ...(hostCores ? { hostCores } : {}),
    generatedIds: inputs.generatedIds,
  };
}

function emptyResult(variant: Variant): AdvisedVariant {
  return {
    id: variant.id,
    kind: variant.kind,
    title: variant.title,
    server: variant.server,
    q: variant.q,
    ids: variant.ids,
    designDocCount: variant.designs.length,
    readers: variant.readers,
    readerVisible: variant.readerVisible,
    ...(variant.config ? { config: [...variant.config] } : {}),
    builds: [],
    output: { status: "unchecked" },
    verdict: "baseline",
  };
}

/** What every build of one advise run shares. */
interface Session {
  inputs: AdviseInputs;
  client: CouchClient;
  /** Views the emit-null variant changes: their full read is timed on it and on the original. */
  readViews: string[];
  /** View output of each variant's first build, by variant id. */
  outputs: Map<string, ViewOutput>;
  /** Read times by variant id. */
  reads: Map<string, number[]>;
  databases: Scratch;
  /** `--config`: sets a variant's settings, or the server's own for every other variant. */
  settings: ConfigDimension | undefined;
}

/** One build of one variant: install, build, time, split; the first build is also sized and its output read. */
async function measureOnce(
  session: Session,
  db: string,
  variant: Variant,
  repeat: number,
  order: number,
  result: AdvisedVariant,
): Promise<void> {
  const { inputs, client } = session;
  if (result.error) return;
  const language = queryServer(variant.server)?.language ?? variant.server;
  const buildId = newBuildId(inputs.runId, repeat);
  // Outside the try: a value CouchDB refuses ends the run with one line naming the key, not one errored variant.
  await session.settings?.apply(variant.config);
  try {
    const installed: InstalledDesignDoc[] = [];
    for (const [i, template] of variant.designs.entries()) {
      const ddoc = renderDesignDoc(
        template,
        language,
        variant.designs.length > 1 ? `${buildId}-${i + 1}` : buildId,
        variant.id,
      );
      await client.putDocument(db, ddoc);
      installed.push({ designDocId: ddoc._id, template });
    }
    const { ms, queryServerStats } = await timeBuilds(client, db, installed);
    const timeSplit = splitBuildTime(ms, queryServerStats, {
      concurrentIndexers: installed.length * variant.q,
      expectedMapDocs: installed.length * inputs.docCount,
    });
    const build: AdviseBuild = { repeat, order, ms, queryServerStats, ...(timeSplit ? { timeSplit } : {}) };
    result.builds.push(build);
    if (variant.kind === "original" || variant.kind === "emit-null")
      await timeReads(session, db, installed[0]!.designDocId, variant, result);
    if (repeat === 1) {
      const sizes = await Promise.all(installed.map(({ designDocId }) => client.designDocInfo(db, designDocId)));
      result.indexBytes = sizes.reduce((total, info) => total + info.view_index.sizes.active, 0);
      const originalId = variant.ids === "sequential" ? session.databases.sequential.originalId : undefined;
      session.outputs.set(
        variant.id,
        await readVariantOutput(client, db, installed, variant.emitNullViews, originalId),
      );
    }
    inputs.emit({ type: "build", variant, repeat, build });
  } catch (error) {
    result.error = describeFailure(error);
    inputs.emit({ type: "build", variant, repeat, error: result.error });
  }
}

/**
 * The reader's side of emit-null: every row of the views it changes, read from the original
 * as it is and from the emit-null variant with include_docs=true.
 */
async function timeReads(
  session: Session,
  db: string,
  designDocId: string,
  variant: Variant,
  result: AdvisedVariant,
): Promise<void> {
  if (session.readViews.length === 0) return;
  const views = session.inputs.design.template.views;
  const withDocs = variant.kind === "emit-null";
  const ms = await timeQuery(() =>
    Promise.all(
      session.readViews.map((view) =>
        session.client.queryView(db, designDocId, view, {
          ...(views[view]?.reduce !== undefined ? { reduce: false } : {}),
          ...(withDocs ? { include_docs: true } : {}),
        }),
      ),
    ),
  );
  const reads = [...(session.reads.get(variant.id) ?? []), ms];
  session.reads.set(variant.id, reads);
  result.readMs = spread(reads);
}

function checkOutput(
  inputs: AdviseInputs,
  variant: Variant,
  result: AdvisedVariant,
  reference: ViewOutput | undefined,
  output: ViewOutput | undefined,
): void {
  if (!reference || !output) return;
  const difference = describeDifference(reference, output);
  result.output = difference ? { status: "mismatch", detail: clip(difference) } : { status: "match" };
  inputs.emit({ type: "checked", variant, output: result.output });
}

/** A difference quotes reduce results, which can be every group of a view: one readable line is enough. */
function clip(text: string, length = 400): string {
  return text.length <= length ? text : `${text.slice(0, length)}… (${text.length - length} more characters)`;
}

/** Scratch databases, one per q × id scheme, loaded on first use and all deleted at the end. */
class Scratch {
  private readonly loaded = new Map<string, string>();
  readonly sequential: ReturnType<typeof withSequentialIds>;

  constructor(
    private readonly client: CouchClient,
    private readonly inputs: AdviseInputs,
  ) {
    this.sequential = withSequentialIds(inputs.source, inputs.dataset, inputs.docCount);
  }

  async for(variant: Variant): Promise<string> {
    const key = databaseKey(variant);
    const existing = this.loaded.get(key);
    if (existing) return existing;
    const db = `${scratchPrefix(this.inputs.runId)}${key}`;
    this.loaded.set(key, db);
    const { client, inputs } = this;
    inputs.emit({ type: "loading", db, q: variant.q, ids: variant.ids });
    await client.deleteDatabase(db);
    await client.createDatabase(db, variant.q);
    const dataset = variant.ids === "sequential" ? this.sequential.dataset : inputs.dataset;
    await loadDocuments(client, db, dataset, 0, inputs.docCount, {
      batchSize: inputs.batchSize,
      concurrency: inputs.loadConcurrency,
      onProgress: (docsDone, docsTotal) => inputs.emit({ type: "load-progress", docsDone, docsTotal }),
    });
    await waitUntilStored(client, db, inputs.docCount);
    return db;
  }

  async dropAll(): Promise<void> {
    for (const db of this.loaded.values()) await this.client.deleteDatabase(db).catch(() => undefined);
  }
}

/** Every scratch database of a run starts with this (lower-case, as CouchDB wants). */
function scratchPrefix(runId: string): string {
  return `couchbench-advise-${runId}-`.toLowerCase().replace(/[^a-z0-9_$()+/-]/g, "-");
}

/** After an interruption: the scratch databases a run left on a CouchDB that keeps running (url target). */
export async function dropScratchDatabases(url: string, runId: string): Promise<void> {
  const client = new CouchClient(url);
  for (const db of (await client.allDatabases()).filter((name) => name.startsWith(scratchPrefix(runId))))
    await client.deleteDatabase(db);
}
