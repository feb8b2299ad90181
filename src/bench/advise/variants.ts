/**
 * Which rewrites of the user's design doc (and of the database around it) advise measures:
 * pure, from the design doc and what the CouchDB can run. Every variant can be checked
 * against the original's view output; none changes the user's database.
 */
import { combinationShortLabel, settingLabel, type ConfigCombination } from "../../couch/config-settings.js";
import type { AdvisedVariant } from "../../results/advise-format.js";
import type { DesignDocTemplate, ViewSource } from "../design-docs.js";
import { versionAtLeast } from "../../couch/query-servers.js";
import { needsCouchDB35, recogniseReduce } from "./reduce-rewrites.js";
import { emitNullMap } from "./emit-null.js";
import { splitViews } from "./split-views.js";
import { mangoIndexVariant } from "./mango-index-variant.js";

/** The design doc being advised on, as the user has it. */
export interface UserDesignDoc {
  /** `_design/…` id to write the advised doc under. */
  id: string;
  /** Its `language` (CouchDB's default is `javascript`). */
  language: string;
  template: DesignDocTemplate;
  /** Every other field of the document (validate_doc_update, options…), kept in the advised doc. */
  otherFields: Record<string, unknown>;
}

/** The kinds of the advise results file (advise-format.ts), where each is documented. */
export type VariantKind = AdvisedVariant["kind"];

export interface Variant {
  id: string;
  kind: VariantKind;
  /** One line: what this variant changes. */
  title: string;
  /** couchbench query-server name the design docs run on. */
  server: string;
  /** Design docs installed together (several when views are split). */
  designs: DesignDocTemplate[];
  q: number;
  ids: "as-given" | "sequential";
  /** What readers of the views must change: "nothing", or how to query. */
  readers: string;
  /** True when readers must query differently (emit-null, split views): reported apart. */
  readerVisible: boolean;
  /** Views whose rows stopped carrying the document (read them with include_docs=true). */
  emitNullViews: string[];
  /** Changes that go into the advised design doc when this variant wins. */
  ddocChange?: DesignDocChange;
  /** Per design doc, when they run on different servers (mango-index: the views left in JavaScript, then Mango). */
  designServers?: string[];
  /** mango-index: views whose JavaScript key is `doc.f`, compared with the index's `[f]` unwrapped. */
  mangoScalarKeyViews?: string[];
  /** `--config`: CouchDB settings this variant builds under (every other variant: the server's own). */
  config?: ConfigCombination;
}

/** A change to the design doc itself (the others change the database or the server). */
export type DesignDocChange =
  | { kind: "language"; server: string }
  /** `orderDependent`: the JavaScript picked a value by position, so readers see the built-in's well-defined values. */
  | { kind: "reduce"; view: string; builtIn: string; orderDependent?: boolean }
  | { kind: "emit-null"; views: string[] };

export interface VariantContext {
  /** Query servers this CouchDB can run, by couchbench name. */
  availableServers: readonly string[];
  /** q of a new database on this CouchDB (its cluster.q), the original's. */
  defaultQ: number;
  /** Cores of the CouchDB host, when known. */
  hostCores?: number;
  /** True for generated documents, whose id scheme advise may change. */
  generatedIds: boolean;
  /** The CouchDB's version: rewrites to built-ins it lacks are not offered. Unknown: all are planned. */
  couchdbVersion?: string;
  /**
   * Query servers to try as variants (`--servers`, with any `--query-server`; default javascript, quickjs, typescript).
   */
  servers?: readonly string[];
  /** Why a server to try is not available on this CouchDB, by name (from the probe). */
  unavailable?: Readonly<Record<string, string>>;
  /** `--config`: settings the user asked to see measured, each a variant of its own. */
  configCombinations?: readonly ConfigCombination[];
}

export interface DerivedVariants {
  original: Variant;
  variants: Variant[];
  /** Rewrites looked at and not offered, with why (shown in the report). */
  skipped: string[];
}

const LANGUAGE_SERVERS: Record<string, string> = {
  javascript: "javascript",
  javascript_quickjs: "quickjs",
  typescript: "typescript",
};
const ADVISED_SERVERS = ["javascript", "quickjs", "typescript"];

export function deriveVariants(design: UserDesignDoc, context: VariantContext): DerivedVariants {
  const server = LANGUAGE_SERVERS[design.language];
  const skipped: string[] = [];
  if (!server)
    skipped.push(
      `language ${design.language}: not a JavaScript query server, so no query-server or JavaScript rewrites`,
    );
  const original: Variant = {
    id: "original",
    kind: "original",
    title: "your design doc as it is",
    server: server ?? design.language,
    designs: [design.template],
    q: context.defaultQ,
    ids: "as-given",
    readers: "nothing",
    readerVisible: false,
    emitNullViews: [],
  };
  const like = (changes: Partial<Variant> & Pick<Variant, "id" | "kind" | "title">): Variant => ({
    ...original,
    ...changes,
  });
  const variants: Variant[] = [];

  if (server) {
    for (const other of (context.servers ?? ADVISED_SERVERS).filter((name) => name !== server)) {
      if (context.availableServers.includes(other)) {
        variants.push(
          like({
            id: `server-${other}`,
            kind: "query-server",
            title: `query server ${other}`,
            server: other,
            readers: `nothing (the CouchDB needs the ${other} query server)`,
            ddocChange: { kind: "language", server: other },
          }),
        );
      } else {
        const reason = context.unavailable?.[other];
        skipped.push(`query server ${other}: not available on this CouchDB${reason ? ` (${reason})` : ""}`);
      }
    }
    for (const [view, source] of Object.entries(design.template.views)) {
      if (source.reduce === undefined || source.reduce.startsWith("_")) continue;
      const { builtIn, orderDependent, nearMiss } = recogniseReduce(source.reduce);
      if (!builtIn) {
        skipped.push(
          `view ${view}: its reduce is not provably a built-in (_sum, _count, _stats, _top_N, _bottom_N, _first, _last)${nearMiss ? ` — ${nearMiss}` : ""}; left as it is`,
        );
        continue;
      }
      const version = context.couchdbVersion;
      if (needsCouchDB35(builtIn) && version !== undefined && !versionAtLeast(version, "3.5.0")) {
        skipped.push(
          `view ${view}: its reduce is a JavaScript spelling of ${builtIn}, which needs CouchDB ≥ 3.5.0 (this CouchDB is ${version}); not offered`,
        );
        continue;
      }
      variants.push(
        like({
          id: `reduce-${view}`,
          kind: "reduce-builtin",
          title: `${view}: JavaScript reduce → ${builtIn}`,
          designs: [withReduce(design.template, view, builtIn)],
          ddocChange: { kind: "reduce", view, builtIn, ...(orderDependent ? { orderDependent } : {}) },
          ...(orderDependent ? { readers: positionalReaders(view, builtIn), readerVisible: true } : {}),
        }),
      );
    }
    const emitNull = emitNullTemplate(design.template);
    if (emitNull) {
      const views = emitNull.views;
      variants.push(
        like({
          id: "emit-null",
          kind: "emit-null",
          title: `${views.join(", ")}: emit(key, doc) → emit(key, null)`,
          designs: [emitNull.template],
          readers: `query ${views.join(", ")} with include_docs=true and read row.doc instead of row.value`,
          readerVisible: true,
          emitNullViews: views,
          ddocChange: { kind: "emit-null", views },
        }),
      );
    }
    const mango = mangoIndexVariant(design.template, original, context.availableServers.includes("mango"));
    if (mango.variant) variants.push(mango.variant);
    skipped.push(...mango.skipped);
  }
  if (Object.keys(design.template.views).length > 1) {
    variants.push(
      like({
        id: "split-views",
        kind: "split-views",
        title: "one design doc per view",
        designs: splitViews(design.template),
        readers: "query each view under its own design doc",
        readerVisible: true,
      }),
    );
  }
  const shardCounts = [...new Set([1, 2, ...(context.hostCores ? [context.hostCores] : [])])].filter(
    (q) => q !== context.defaultQ,
  );
  if (!context.hostCores) skipped.push("q = host cores: the CouchDB host's core count is not known for this target");
  for (const q of shardCounts) {
    variants.push(
      like({
        id: `q${q}`,
        kind: "shards",
        title: `database with q=${q}${q === context.hostCores ? " (the host's cores)" : ""}`,
        q,
        readers: "nothing (a new database: q is fixed when it is created)",
      }),
    );
  }
  if (context.generatedIds) {
    variants.push(
      like({
        id: "ids-sequential",
        kind: "ids",
        title: "sequential document ids (advice for new applications)",
        ids: "sequential",
        readers: "nothing (document ids are chosen by the application)",
      }),
    );
  }
  for (const [i, combination] of (context.configCombinations ?? []).entries()) {
    variants.push(
      like({
        id: `config-${i + 1}`,
        kind: "config",
        title: `CouchDB setting ${combinationShortLabel(combination)}`,
        readers: `nothing (set ${combination.map(settingLabel).join(", ")} in CouchDB's configuration)`,
        config: combination,
      }),
    );
  }
  return { original, variants, skipped };
}

/**
 * What readers of a rewritten positional pick see: CouchDB never promised an order of `values`
 * (a shard passes them in reverse key order, a cluster merges shards as they answer), so the
 * JavaScript's pick varied with batching and shards; the built-in's is the first or last row.
 */
export function positionalReaders(view: string, builtIn: string): string {
  const row = builtIn === "_first" ? "first" : "last";
  return `${view}'s reduce returns the value of the ${row} row by key and document id; the JavaScript's pick by position returned whichever value CouchDB passed ${row}, which depended on batching and shards`;
}

function withReduce(template: DesignDocTemplate, view: string, reduce: string): DesignDocTemplate {
  const source = template.views[view]!;
  return { ...template, views: { ...template.views, [view]: { ...source, reduce } } };
}

function emitNullTemplate(template: DesignDocTemplate): { template: DesignDocTemplate; views: string[] } | undefined {
  const views: Record<string, ViewSource> = {};
  const changed: string[] = [];
  for (const [name, source] of Object.entries(template.views)) {
    const map = emitNullMap(source.map);
    if (map) changed.push(name);
    views[name] = map ? { ...source, map } : source;
  }
  return changed.length ? { template: { ...template, views }, views: changed } : undefined;
}

/** The original with every given design-doc change applied: the advised design doc's views and server. */
export function combineChanges(design: UserDesignDoc, original: Variant, changes: readonly DesignDocChange[]): Variant {
  let template = design.template;
  let server = original.server;
  const emitNullViews: string[] = [];
  for (const change of changes) {
    if (change.kind === "language") server = change.server;
    if (change.kind === "reduce") template = withReduce(template, change.view, change.builtIn);
    if (change.kind === "emit-null") {
      template = emitNullTemplate(template)?.template ?? template;
      emitNullViews.push(...change.views);
    }
  }
  return {
    ...original,
    id: "combined",
    kind: "combined",
    title: "the advised design doc (every winning design-doc change)",
    server,
    designs: [template],
    emitNullViews,
    readers: emitNullViews.length ? `query ${emitNullViews.join(", ")} with include_docs=true` : "nothing",
    readerVisible: emitNullViews.length > 0,
  };
}

/** The design doc to PUT: the user's, with the advised views and language. */
export function advisedDesignDoc(design: UserDesignDoc, combined: Variant, language: string): Record<string, unknown> {
  const template = combined.designs[0]!;
  return {
    ...design.otherFields,
    _id: design.id,
    language,
    views: template.lib ? { ...template.views, lib: template.lib } : template.views,
  };
}
