/**
 * `couchbench advise`, the measuring part: reach CouchDB, derive the variants, load scratch
 * databases, build every variant `repeat` times in rotated order, check every variant's view
 * output against the original's, then build and check the combination of the winning
 * design-doc changes. Emits events and returns the results; prints and writes nothing.
 */
import { cpus } from "node:os";
import { spread } from "../../core/stats.js";
import { CouchClient } from "../../couch/couch-client.js";
import { assertAdmin, describeTarget, probeQueryServers, type ServerAvailability } from "../../couch/probe.js";
import { queryServer, QUERY_SERVERS, type ServerCommand } from "../../couch/query-servers.js";
import { lifecycleMessages, type CouchTarget, type StartedCouch } from "../../couch/targets/target.js";
import type { AdvisedVariant, AdviseBuild } from "../../results/advise-format.js";
import type { AdviseProgressStore } from "../../results/advise-progress.js";
import { splitBuildTime } from "../../results/build-time-split.js";
import type { TargetInfo } from "../../results/results-format.js";
import type { Dataset, DatasetSource } from "../datasets/index.js";
import { renderDesignDoc } from "../design-docs.js";
import { timeQuery } from "../index-build.js";
import { loadDocuments, waitUntilStored } from "../loader.js";
import { newBuildId, timeBuilds, type InstalledDesignDoc } from "../measure-build.js";
import { costMeters, type CostMeters } from "../cost/cost-meters.js";
import { meterBuild } from "../cost/cost-sampler.js";
import { rotation } from "../plan.js";
import { describeFailure, explainLostCouch } from "../runner.js";
import { describeDifference } from "../view-output.js";
import { readVariantOutput, type VariantOutput } from "./variant-output.js";
import { isPositionalBuiltIn } from "./positional-check.js";
import { SAME_FUNCTIONS, unstableReduces, withoutReductions, type UnstableReduce } from "./reproducible.js";
import { withSequentialIds } from "./sequential-ids.js";
import {
  combineChanges,
  deriveVariants,
  type DerivedVariants,
  type UserDesignDoc,
  type Variant,
  type VariantContext,
} from "./variants.js";
import { chooseChanges, judgeVariant, type ChosenChange } from "./verdicts.js";
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
  /** Query servers to try as variants, by couchbench name (`--servers`). */
  servers: readonly string[];
  /** The `--query-server` servers among them: how to probe them by their language. */
  queryServers: readonly ServerCommand[];
  docCount: number;
  repeat: number;
  batchSize: number;
  loadConcurrency: number;
  emit: (event: AdviseEvent) => void;
  /** Ctrl-C: no further build starts, requests in flight are aborted, the target stops what it started. */
  signal: AbortSignal;
  /** Every build is saved here as it finishes; builds it already holds (an interrupted run's) are not made again. */
  checkpoint: AdviseProgressStore;
  /** `--config`: settings to measure, each a variant; their values are put back on every node afterwards. */
  configCombinations?: readonly ConfigCombination[];
}

export type AdviseEvent =
  | { type: "target"; message: string }
  | { type: "plan"; derived: DerivedVariants; context: VariantContext }
  /** `--resume`: builds the interrupted run made, not made again. */
  | { type: "resumed"; builds: number }
  | { type: "loading"; db: string; q: number; ids: string }
  | { type: "load-progress"; docsDone: number; docsTotal: number }
  | { type: "build"; variant: Variant; repeat: number; build?: AdviseBuild; error?: string }
  | { type: "checked"; variant: Variant; output: AdvisedVariant["output"] }
  | { type: "combined"; changes: ChosenChange[] };

export interface AdviseOutcome {
  target: TargetInfo;
  context: VariantContext;
  derived: DerivedVariants;
  variants: AdvisedVariant[];
  /** The original's reduces left out of the reduce comparison, and why. */
  unstable: UnstableReduce[];
  combined?: { variant: Variant; result: AdvisedVariant; changes: ChosenChange[] };
}

/** The original's own server is probed too, so the report records it among the available ones. */
function probedForTheOriginal(language: string): string[] {
  const own = QUERY_SERVERS.find((spec) => spec.language === language && spec.runsViews);
  return own ? [own.name] : [];
}

/** The CouchDB default for a new database's q when cluster.q is not configured (CouchDB 3.x). */
const COUCHDB_DEFAULT_Q = 2;

export async function runAdvise(inputs: AdviseInputs): Promise<AdviseOutcome> {
  const { target } = inputs;
  const lifecycle = lifecycleMessages(target);
  inputs.emit({ type: "target", message: lifecycle.start });
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
    if (lifecycle.stop) inputs.emit({ type: "target", message: lifecycle.stop });
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
  // mango is probed for the "as a Mango index" variant, not offered as a server of the whole design doc.
  const availability = await probeQueryServers(
    couch.url,
    [...new Set([...inputs.servers, ...probedForTheOriginal(inputs.design.language), "mango"])],
    { custom: inputs.queryServers },
    signal,
  );
  const { info } = await describeTarget(inputs.target, couch, availability, signal);
  const client = new CouchClient(couch.url, signal);
  const context = {
    ...(await variantContext(client, inputs, info, availability)),
    ...(inputs.configCombinations?.length ? { configCombinations: inputs.configCombinations } : {}),
  };
  const derived = deriveVariants(inputs.design, context);
  const all = [derived.original, ...derived.variants];
  const databases = new Scratch(client, inputs);
  inputs.emit({ type: "plan", derived, context });
  try {
    const restored = inputs.checkpoint.snapshot;
    const kept = Object.values(restored.results).reduce((total, result) => total + result.builds.length, 0);
    if (kept > 0) inputs.emit({ type: "resumed", builds: kept });
    const restore = (variant: Variant, id = variant.id) =>
      restored.results[id] ? structuredClone(restored.results[id]) : emptyResult(variant);
    const measured = new Map(all.map((variant) => [variant.id, restore(variant)]));
    const outputs = new Map<string, VariantOutput>(Object.entries(restored.outputs));
    const readViews = derived.variants.find((variant) => variant.kind === "emit-null")?.emitNullViews ?? [];
    const reads = new Map(Object.entries(restored.reads));
    const meters = costMeters(couch, client);
    const session: Session = { inputs, client, meters, readViews, outputs, reads, databases, settings };
    for (let r = 0; r < inputs.repeat; r++) {
      for (const [i, variant] of rotation(all, r).entries()) {
        const result = measured.get(variant.id)!;
        if (alreadyMeasured(result, r + 1)) continue;
        await measureOnce(session, await databases.for(variant), variant, variant.id, r + 1, i + 1, result);
      }
    }
    const originalOutput = outputs.get("original");
    const unstable = originalOutput
      ? unstableReduces(inputs.design.template, originalOutput, sameFunctionOutputs(derived.variants, outputs))
      : [];
    const excluded = unstable.map(({ view }) => view);
    for (const variant of derived.variants)
      checkOutput(inputs, variant, measured.get(variant.id)!, originalOutput, outputs.get(variant.id), excluded);
    if (originalOutput) measured.get("original")!.output = { status: "reference" };
    const originalMs = measured.get("original")!.builds.map((build) => build.ms);
    const judged = all.map((variant) => judgeVariant(measured.get(variant.id)!, originalMs));
    const changes = chooseChanges(judged, derived.variants);
    if (changes.length === 0) return { target: info, context, derived, variants: judged, unstable };
    inputs.emit({ type: "combined", changes });
    const combined = combineChanges(
      inputs.design,
      derived.original,
      changes.map(({ change }) => change),
    );
    // The original is built again beside it, in rotated pairs: the machine may have sped up or slowed down since.
    const result = restore(combined);
    const baseline = restore(derived.original, BASELINE);
    const pair = [derived.original, combined];
    for (let r = 0; r < inputs.repeat; r++) {
      for (const [i, variant] of rotation(pair, r).entries()) {
        const [id, measuredHere] = variant === combined ? [combined.id, result] : [BASELINE, baseline];
        if (alreadyMeasured(measuredHere, r + 1)) continue;
        await measureOnce(session, await databases.for(variant), variant, id, r + 1, i + 1, measuredHere);
      }
    }
    checkOutput(inputs, combined, result, originalOutput, outputs.get(combined.id), excluded);
    const baselineMs = baseline.builds.map((build) => build.ms);
    const judgedCombined = { ...judgeVariant(result, baselineMs), baselineBuilds: baseline.builds };
    return {
      target: info,
      context,
      derived,
      variants: judged,
      unstable,
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
  availability: ServerAvailability,
): Promise<VariantContext> {
  const configuredQ = Number.parseInt((await client.configValue("cluster", "q").catch(() => undefined)) ?? "", 10);
  // A url target on this machine, or local: the host is this one. Docker: the container's CPU limit, if any.
  const sameHost =
    info.kind === "local" || (info.kind === "url" && /^(localhost|127\.|\[::1\])/.test(new URL(info.url).host));
  const hostCores = info.cpus ?? (sameHost || info.kind === "docker" ? cpus().length : undefined);
  return {
    availableServers: availability.available,
    servers: inputs.servers,
    unavailable: Object.fromEntries(availability.missing.map(({ server, reason }) => [server, reason])),
    defaultQ: Number.isSafeInteger(configuredQ) && configuredQ > 0 ? configuredQ : COUCHDB_DEFAULT_Q,
    ...(hostCores ? { hostCores } : {}),
    generatedIds: inputs.generatedIds,
    couchdbVersion: info.couchdbVersion,
  };
}

/** Output id of the original's second build, read to find reduces that are not reproducible. */
const SECOND_ORIGINAL = "original#2";
/** Result id of the original's builds made beside the advised design doc. */
const BASELINE = "combined-baseline";

/** This repeat is measured already (an interrupted run's, resumed), or the variant failed: no build. */
function alreadyMeasured(result: AdvisedVariant, repeat: number): boolean {
  return result.error !== undefined || result.builds.some((build) => build.repeat === repeat);
}

/** Builds that ran the original's functions unchanged: where a reduce answering differently is batching-dependent. */
function sameFunctionOutputs(
  variants: readonly Variant[],
  outputs: ReadonlyMap<string, VariantOutput>,
): Array<{ label: string; output: VariantOutput }> {
  const second = outputs.get(SECOND_ORIGINAL);
  return [
    ...(second ? [{ label: "a second build of the original", output: second }] : []),
    ...variants
      .filter((variant) => SAME_FUNCTIONS.includes(variant.kind) && outputs.has(variant.id))
      .map((variant) => ({ label: `the variant '${variant.title}'`, output: outputs.get(variant.id)! })),
  ];
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
  /** What the target lets couchbench measure besides time: here, beam's and the query servers' CPU. */
  meters: CostMeters;
  /** Views the emit-null variant changes: their full read is timed on it and on the original. */
  readViews: string[];
  /** View output of each variant's first build, by variant id (and the original's second, SECOND_ORIGINAL). */
  outputs: Map<string, VariantOutput>;
  /** Read times by variant id. */
  reads: Map<string, number[]>;
  databases: Scratch;
  /** `--config`: sets a variant's settings, or the server's own for every other variant. */
  settings: ConfigDimension | undefined;
}

/**
 * One build of one variant: install, build, time, split; the first build is also sized and its
 * output read (not for the original rebuilt beside the advised doc: its output is known). The
 * result is saved under `resultId` before the next build starts; a build cut short by Ctrl-C is
 * not recorded at all.
 */
async function measureOnce(
  session: Session,
  db: string,
  variant: Variant,
  resultId: string,
  repeat: number,
  order: number,
  result: AdvisedVariant,
): Promise<void> {
  const { inputs, client } = session;
  const checkpoint = inputs.checkpoint;
  const ownBuild = resultId === variant.id;
  const languageOf = (i: number) => {
    const server = variant.designServers?.[i] ?? variant.server;
    return queryServer(server, inputs.queryServers)?.language ?? server;
  };
  const buildId = newBuildId(inputs.runId, repeat);
  // Outside the try: a value CouchDB refuses ends the run with one line naming the key, not one errored variant.
  await session.settings?.apply(variant.config);
  try {
    const installed: InstalledDesignDoc[] = [];
    for (const [i, template] of variant.designs.entries()) {
      const ddoc = renderDesignDoc(
        template,
        languageOf(i),
        variant.designs.length > 1 ? `${buildId}-${i + 1}` : buildId,
        variant.id,
      );
      await client.putDocument(db, ddoc);
      installed.push({ designDocId: ddoc._id, template });
    }
    const metered = await meterBuild(session.meters, db, () => timeBuilds(client, db, installed));
    const { ms, queryServerStats } = metered.result;
    const beamMs = metered.cost.beamCpuMs;
    const queryServerMs = metered.queryServerCpuMs;
    const timeSplit = splitBuildTime(ms, queryServerStats, {
      concurrentIndexers: installed.length * variant.q,
      expectedMapDocs: installed.length * inputs.docCount,
    });
    const build: AdviseBuild = {
      repeat,
      order,
      ms,
      queryServerStats,
      ...(timeSplit ? { timeSplit } : {}),
      ...(beamMs !== undefined && queryServerMs !== undefined ? { cpu: { beamMs, queryServerMs } } : {}),
    };
    result.builds.push(build);
    if (ownBuild && (variant.kind === "original" || variant.kind === "emit-null"))
      await timeReads(session, db, installed[0]!.designDocId, variant, result);
    const secondOriginal = variant.kind === "original" && repeat === 2;
    if (repeat === 1) {
      const sizes = await Promise.all(installed.map(({ designDocId }) => client.designDocInfo(db, designDocId)));
      result.indexBytes = sizes.reduce((total, info) => total + info.view_index.sizes.active, 0);
    }
    if (ownBuild && (repeat === 1 || secondOriginal)) {
      const originalId = variant.ids === "sequential" ? session.databases.sequential.originalId : undefined;
      const outputId = secondOriginal ? SECOND_ORIGINAL : variant.id;
      const output = await readVariantOutput(
        client,
        db,
        installed,
        variant.emitNullViews,
        originalId,
        variant.mangoScalarKeyViews,
      );
      session.outputs.set(outputId, output);
      await checkpoint.saveOutput(outputId, output);
    }
    await checkpoint.saveResult(resultId, result);
    inputs.emit({ type: "build", variant, repeat, build });
  } catch (error) {
    if (inputs.signal.aborted) throw error;
    result.error = describeFailure(error);
    await checkpoint.saveResult(resultId, result);
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
  await session.inputs.checkpoint.saveReads(variant.id, reads);
  result.readMs = spread(reads);
}

/**
 * Every row of every view against the original's, and every reduce answer except those of the
 * original's unstable reduces (`excluded`); a `_first` / `_last` view also against its definition.
 */
function checkOutput(
  inputs: AdviseInputs,
  variant: Variant,
  result: AdvisedVariant,
  reference: VariantOutput | undefined,
  output: VariantOutput | undefined,
  excluded: readonly string[],
): void {
  if (!reference || !output) return;
  const difference = describeDifference(withoutReductions(reference, excluded), withoutReductions(output, excluded));
  const problems = [...(difference ? [difference] : []), ...output.definitionProblems];
  const picks = Object.entries(variant.designs[0]?.views ?? {}).filter(
    ([view, { reduce }]) => excluded.includes(view) && isPositionalBuiltIn(reduce),
  );
  result.output = problems.length
    ? { status: "mismatch", detail: clip(problems.join("; ")) }
    : picks.length
      ? {
          status: "match",
          detail: `rows as the original's; ${picks.map(([view, { reduce }]) => `${view}'s answers as ${reduce}'s definition`).join(", ")}`,
        }
      : { status: "match" };
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
