/**
 * A design doc's views as Mango JSON indexes, for the `mango` server: read from `<name>.mango.json` beside the design
 * doc, or derived from the JavaScript maps where map-to-mango.ts proves an equivalent. Rendered the way
 * `POST /{db}/_index` stores one (checked on CouchDB 3.4.3 and 3.5.2): a view of a `language: "query"` design doc
 * with the fields as its map and `_count` as its reduce, which `_index` lists and `_find` uses.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../../core/errors.js";
import type { DesignDocTemplate } from "../design-docs.js";
import { mangoEquivalent } from "./map-to-mango.js";

/** One view's index: what `POST /{db}/_index` takes as `index`. */
export interface MangoIndex {
  /** Field names, nested ones dotted (`title.en-us`); all ascending. */
  fields: string[];
  /** Only documents matching it are indexed (a partial index); absent: `{}`, every document with the fields. */
  partial_filter_selector?: Record<string, unknown>;
}

/** Where the `mango` server gets a design doc's indexes from, or why it has none. */
export type MangoSources = { indexes: Record<string, MangoIndex>; origin: string } | { unavailable: string };

/** Mango always gives its index `_count`; a JavaScript view must say the same for the outputs to compare. */
const MANGO_REDUCE = "_count";

/** `<name>.mango.json`: `{"views": {"<view>": {"fields": […], "partial_filter_selector": {…}}}}`. */
export function parseMangoIndexes(parsed: unknown, path: string): Record<string, MangoIndex> {
  const views = (parsed as { views?: unknown } | null)?.views;
  const example = `{"views": {"byType": {"fields": ["type"]}}}`;
  if (!views || typeof views !== "object" || Array.isArray(views))
    throw new UsageError(`--ddoc ${path}: no "views" object — a .mango.json gives each view's index, e.g. ${example}`);
  const indexes: Record<string, MangoIndex> = {};
  for (const [name, value] of Object.entries(views as Record<string, unknown>)) {
    const { fields, partial_filter_selector: selector } = (value ?? {}) as Record<string, unknown>;
    const validFields =
      Array.isArray(fields) && fields.length > 0 && fields.every((field) => typeof field === "string" && field !== "");
    const validSelector = selector === undefined || (selector !== null && typeof selector === "object");
    if (!validFields || !validSelector || Array.isArray(selector))
      throw new UsageError(
        `--ddoc ${path}: view "${name}" needs "fields", a non-empty array of field names (and an optional "partial_filter_selector" object), e.g. ${example}`,
      );
    indexes[name] = {
      fields: fields as string[],
      ...(selector ? { partial_filter_selector: selector as Record<string, unknown> } : {}),
    };
  }
  return indexes;
}

/** Reads `<name>.mango.json` beside a design doc, when there is one. */
export async function readMangoIndexes(designDocPath: string): Promise<Record<string, MangoIndex> | undefined> {
  const path = mangoSourcesPath(designDocPath);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return parseMangoIndexes(JSON.parse(text), path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--ddoc ${path}: not JSON (${(error as Error).message})`);
  }
}

export function mangoSourcesPath(designDocPath: string): string {
  return designDocPath.replace(/\.json$/, ".mango.json");
}

/**
 * The indexes the `mango` server builds for a design doc: the file's, when given (its views must be the design
 * doc's), else every view's derived equivalent. Every view needs `"reduce": "_count"`, as a Mango index has, and a
 * derived one an array key, so that the rows and reductions compare exactly with the JavaScript servers'.
 */
export function mangoSources(template: DesignDocTemplate, fromFile?: Record<string, MangoIndex>): MangoSources {
  const file = mangoSourcesPath(template.source);
  const views = Object.entries(template.views);
  const withoutCount = views.filter(([, view]) => view.reduce !== MANGO_REDUCE).map(([name]) => name);
  if (fromFile) {
    const expected = views.map(([name]) => name).sort();
    const given = Object.keys(fromFile).sort();
    if (expected.join() !== given.join())
      throw new UsageError(
        `--ddoc ${template.source}: ${file} defines ${given.join(", ")} — it must define the same views as the design doc: ${expected.join(", ")}`,
      );
    if (withoutCount.length)
      return {
        unavailable: `${withoutCount.join(", ")} ${withoutCount.length > 1 ? "have" : "has"} no "reduce": "_count", which every Mango index has`,
      };
    return { indexes: fromFile, origin: file };
  }
  const indexes: Record<string, MangoIndex> = {};
  const problems: string[] = [];
  for (const [name, view] of views) {
    const derived = mangoEquivalent(view.map);
    if ("reason" in derived) problems.push(`${name}: ${derived.reason}`);
    else if (!derived.equivalent.keyIsArray)
      problems.push(`${name}: its key is not an array, Mango's is ([doc.f] gives the same rows)`);
    else if (view.reduce !== MANGO_REDUCE)
      problems.push(`${name}: its reduce is not _count, which every Mango index has`);
    else indexes[name] = { fields: derived.equivalent.fields };
  }
  if (problems.length)
    return {
      unavailable: `no Mango equivalent of ${problems.join("; ")} — add ${file} to give the indexes yourself`,
    };
  return { indexes, origin: "derived from the JavaScript maps, proven equivalent" };
}

/** One view as `POST /{db}/_index` stores it. */
export function mangoView(index: MangoIndex): Record<string, unknown> {
  return {
    map: {
      fields: Object.fromEntries(index.fields.map((field) => [field, "asc"])),
      partial_filter_selector: index.partial_filter_selector ?? {},
    },
    reduce: MANGO_REDUCE,
    options: {
      def: {
        fields: index.fields,
        ...(index.partial_filter_selector ? { partial_filter_selector: index.partial_filter_selector } : {}),
      },
    },
  };
}

export function mangoViews(indexes: Record<string, MangoIndex>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(indexes).map(([name, index]) => [name, mangoView(index)]));
}
