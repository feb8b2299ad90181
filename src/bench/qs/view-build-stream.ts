/**
 * What CouchDB writes to a query server while it builds a design doc's views, as pure
 * functions of the design doc and the documents (the answers that feed reduce/rereduce are
 * the only input that comes back from the server). Observed in ../shared/transcripts
 * (seed_views, reduce): every checkout starts with `reset`; the indexer adds `views.lib` if it
 * is not empty, then one `add_fun` per distinct map source in source order, then one `map_doc`
 * per document; each B-tree leaf costs a `reduce` with all JS reduce functions of views that
 * share a map, each inner node one `rereduce` per function, each in its own checkout.
 */
import { createHash } from "node:crypto";
import type {
  AddFunCommand,
  AddLibCommand,
  ReduceCommand,
  RereduceCommand,
  ResetCommand,
  ViewRow,
} from "../../queryserver/protocol.js";

/** CouchDB 3.4's reset config (3.5.1+ adds reduce_limit_threshold/ratio). */
const RESET_CONFIG = { reduce_limit: true, timeout: 5000 };

export interface ViewDefinitions {
  views: Record<string, { map: string; reduce?: string }>;
  lib?: Record<string, unknown>;
}

/** The views that share one map function and at least one JS reduce. */
export interface ReduceGroup {
  /** Position of the map function in `add_fun` order, i.e. in each map_doc answer. */
  mapIndex: number;
  /** The JS reduce sources, in view order; built-ins (`_sum`...) run inside CouchDB. */
  sources: string[];
}

export interface ViewBuildPlan {
  lib?: Record<string, unknown>;
  mapSources: string[];
  reduceGroups: ReduceGroup[];
}

export function planViewBuild(ddoc: ViewDefinitions): ViewBuildPlan {
  const views = Object.values(ddoc.views);
  // Erlang sorts the sources as binaries: compare UTF-8 bytes, not UTF-16 units.
  const mapSources = [...new Set(views.map((view) => view.map))].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  const reduceGroups = mapSources
    .map((map, mapIndex) => ({
      mapIndex,
      sources: views.filter((view) => view.map === map && isJsReduce(view.reduce)).map((view) => view.reduce!),
    }))
    .filter((group) => group.sources.length > 0);
  const lib = ddoc.lib && Object.keys(ddoc.lib).length > 0 ? ddoc.lib : undefined;
  return lib ? { lib, mapSources, reduceGroups } : { mapSources, reduceGroups };
}

function isJsReduce(reduce: string | undefined): boolean {
  return reduce !== undefined && !reduce.trim().startsWith("_");
}

export function resetLine(): string {
  return line<ResetCommand>(["reset", RESET_CONFIG]);
}

/** One protocol line, typed by the command it is. */
function line<C extends unknown[]>(command: C): string {
  return JSON.stringify(command);
}

/** The lines after a reset that teach the map functions. */
export function setupLines(plan: ViewBuildPlan): string[] {
  const lib = plan.lib ? [line<AddLibCommand>(["add_lib", plan.lib])] : [];
  return [...lib, ...plan.mapSources.map((source) => line<AddFunCommand>(["add_fun", source]))];
}

/**
 * A document as CouchDB sends it: `_id`, `_rev`, then the body. The revision is a
 * deterministic `1-<md5 of the body>`, shaped like the ones CouchDB makes.
 */
export function couchDocJson(doc: Record<string, unknown>): string {
  const { _id: id, _rev: _ignored, ...body } = doc;
  const bodyJson = JSON.stringify(body);
  const rev = `1-${createHash("md5").update(bodyJson).digest("hex")}`;
  const head = JSON.stringify({ _id: id, _rev: rev });
  return bodyJson === "{}" ? head : `${head.slice(0, -1)},${bodyJson.slice(1)}`;
}

export function mapDocLine(docJson: string): string {
  return `["map_doc",${docJson}]`;
}

export function reduceLine(sources: string[], rows: ViewRow[]): string {
  return line<ReduceCommand>(["reduce", sources, rows]);
}

export function rereduceLine(source: string, values: unknown[]): string {
  return line<RereduceCommand>(["rereduce", [source], values]);
}
