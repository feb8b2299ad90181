import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { designDocsDir } from "../core/package-paths.js";
import { MANGO_LANGUAGE } from "../couch/query-servers.js";
import { mangoSources, mangoViews, readMangoIndexes, type MangoSources } from "./mango/mango-index.js";

export interface ViewSource {
  map: string;
  reduce?: string;
}

/** The part of a design doc that defines the work: identical for every query server. */
export interface DesignDocTemplate {
  /** Where it was read from, for the results file. */
  source: string;
  views: Record<string, ViewSource>;
  lib?: Record<string, unknown>;
  /**
   * The same views written for one language (`erlang`, a Python server's), keyed by design
   * doc language: read from `<name>.<language>.json` beside the design doc, same view names
   * and the same views with a reduce. A language without an entry gets `views` (and `lib`).
   */
  languages?: Record<string, Record<string, ViewSource>>;
  /** The views as Mango JSON indexes, for the `mango` server (from `<name>.mango.json` or derived), or why not. */
  mango?: MangoSources;
}

export interface RenderedDesignDoc {
  _id: string;
  language: string;
  autoupdate: false;
  options: { couchbench_build: string };
  views: Record<string, ViewSource | Record<string, unknown>>;
}

export const DEFAULT_DESIGN_DOC = join(designDocsDir, "classic.json");

/**
 * The design docs in `designdocs/`, selectable by name (`--ddoc builtin`); designdocs/README.md says what each
 * measures.
 */
export const DESIGN_DOC_LIBRARY = ["classic", "builtin", "compute", "many-views", "emit-null", "by-field"] as const;

/** `--ddoc` entry → path: a library name, or a path to a JSON design doc. */
export function designDocPath(spec: string): string {
  return /^[a-z0-9-]+$/.test(spec) ? join(designDocsDir, `${spec}.json`) : resolve(spec);
}

/** The name measurements and the report give a design doc. */
export function designDocName(path: string): string {
  return basename(path).replace(/\.json$/, "");
}

export async function loadDesignDocTemplate(path: string = DEFAULT_DESIGN_DOC): Promise<DesignDocTemplate> {
  const template = await readTemplate(path);
  const languages = await loadLanguageSources(path, template);
  const mango = mangoSources(template, await readMangoIndexes(path));
  return Object.keys(languages).length > 0 ? { ...template, languages, mango } : { ...template, mango };
}

async function readTemplate(path: string): Promise<DesignDocTemplate> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (resolve(dirname(path)) === resolve(designDocsDir) && reason === "ENOENT") {
      throw new UsageError(
        `--ddoc ${designDocName(path)}: no such design doc in designdocs/ — use ${DESIGN_DOC_LIBRARY.join(", ")} or a path to a JSON design doc`,
      );
    }
    throw new UsageError(
      `--ddoc ${path}: cannot read a JSON design doc (${reason}) — give a file like designdocs/classic.json`,
    );
  }
  return parseTemplate(parsed, path);
}

/** `<name>.<language>.json` files beside `<name>.json`: each the design doc's views in that language. */
async function loadLanguageSources(
  path: string,
  template: DesignDocTemplate,
): Promise<Record<string, Record<string, ViewSource>>> {
  const stem = basename(path).replace(/\.json$/, "");
  const siblings = await readdir(dirname(path)).catch(() => [] as string[]);
  const languages: Record<string, Record<string, ViewSource>> = {};
  for (const file of siblings.sort()) {
    const language = file.startsWith(`${stem}.`) && /^([a-z][a-z0-9_]*)\.json$/.exec(file.slice(stem.length + 1))?.[1];
    // `.mango.json` gives Mango index definitions, not views in a language: mango-index.ts reads it.
    if (!language || language === "mango") continue;
    const sourcePath = join(dirname(path), file);
    const { views } = await readTemplate(sourcePath);
    assertSameViews(template, views, sourcePath);
    languages[language] = views;
  }
  return languages;
}

/** A language's sources must build the same views, or their outputs cannot be compared. */
function assertSameViews(template: DesignDocTemplate, views: Record<string, ViewSource>, sourcePath: string): void {
  const shape = (of: Record<string, ViewSource>) =>
    Object.keys(of)
      .sort()
      .map((name) => `${name}${of[name]!.reduce === undefined ? "" : " (reduce)"}`)
      .join(", ");
  if (shape(views) !== shape(template.views)) {
    throw new UsageError(
      `--ddoc ${template.source}: ${sourcePath} defines ${shape(views)} — it must define the same views as the design doc: ${shape(template.views)}`,
    );
  }
}

export function parseTemplate(parsed: unknown, source: string): DesignDocTemplate {
  const viewsField = (parsed as { views?: unknown } | null)?.views;
  if (!viewsField || typeof viewsField !== "object") {
    throw new UsageError(
      `--ddoc ${source}: no "views" object — a design doc needs at least one view with a "map" function`,
    );
  }
  const { lib, ...candidates } = viewsField as Record<string, unknown>;
  const views: Record<string, ViewSource> = {};
  for (const [name, view] of Object.entries(candidates)) {
    const { map, reduce } = (view ?? {}) as { map?: unknown; reduce?: unknown };
    if (typeof map !== "string" || (reduce !== undefined && typeof reduce !== "string")) {
      throw new UsageError(`--ddoc ${source}: view "${name}" needs a "map" string (and an optional "reduce" string)`);
    }
    views[name] = reduce === undefined ? { map } : { map, reduce };
  }
  if (Object.keys(views).length === 0) {
    throw new UsageError(`--ddoc ${source}: "views" has no view with a "map" function`);
  }
  return lib && typeof lib === "object" ? { source, views, lib: lib as Record<string, unknown> } : { source, views };
}

/**
 * One query server's copy of the template. Everything but `_id`, `language` and the build
 * marker is identical across servers, so they index exactly the same functions — except for
 * a language with its own sources (`template.languages`), which get those instead.
 */
export function renderDesignDoc(
  template: DesignDocTemplate,
  language: string,
  buildId: string,
  server: string,
): RenderedDesignDoc {
  const own = template.languages?.[language];
  const mango =
    language === MANGO_LANGUAGE && template.mango && "indexes" in template.mango ? template.mango : undefined;
  return {
    _id: `_design/couchbench-${buildId}-${server}`,
    language,
    autoupdate: false,
    options: { couchbench_build: `${buildId}-${server}` },
    views: mango
      ? mangoViews(mango.indexes)
      : own
        ? { ...own }
        : template.lib
          ? { ...template.views, lib: template.lib }
          : { ...template.views },
  };
}

/** The view a language's copy of the design doc starts with: what a probe for that language runs. */
export function firstView(template: DesignDocTemplate, language: string): { view: string; map: string } {
  const { view } = triggerQuery(template);
  return { view, map: (template.languages?.[language] ?? template.views)[view]!.map };
}

/**
 * The view queried to build (or update) a design doc's index: one query brings every view of
 * the design doc up to date. `reduce=false` keeps a reduce view's query as cheap as a map's.
 */
export function triggerQuery(template: DesignDocTemplate): { view: string; query: { limit: 0; reduce?: false } } {
  const [view, source] = Object.entries(template.views).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[0]!;
  return { view, query: source.reduce !== undefined ? { limit: 0, reduce: false } : { limit: 0 } };
}
