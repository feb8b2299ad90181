/**
 * advise's "as a Mango index" variant: every view whose map has a Mango JSON index equivalent (proven from the source
 * by mango/map-to-mango.ts) moves to a Mango index; the other views stay in JavaScript, in their own design doc, built
 * beside it. Reader-visible: readers query `_find` with the index instead of the view, and get documents (values are
 * not available except through the documents). Its output is checked against the original's rows: the same
 * documents, the same key — a view emitting `doc.f` is compared with the index's `[f]` unwrapped.
 */
import type { DesignDocTemplate, ViewSource } from "../design-docs.js";
import type { MangoIndex } from "../mango/mango-index.js";
import { mangoEquivalent } from "../mango/map-to-mango.js";
import type { Variant } from "./variants.js";

/** A Mango index always has `_count`; a view with no reduce or `_count` loses nothing. */
const KEPT_REDUCES = [undefined, "_count"];

export interface MangoIndexVariant {
  variant?: Variant;
  skipped: string[];
}

/** The variant, or why not; `original` is the variant it starts from. */
export function mangoIndexVariant(
  template: DesignDocTemplate,
  original: Variant,
  mangoAvailable: boolean,
): MangoIndexVariant {
  const indexes: Record<string, MangoIndex> = {};
  const scalarKeyViews: string[] = [];
  const refused: string[] = [];
  for (const [name, view] of Object.entries(template.views)) {
    const derived = mangoEquivalent(view.map);
    if ("reason" in derived) refused.push(`${name}: ${derived.reason}`);
    else if (!KEPT_REDUCES.includes(view.reduce))
      refused.push(`${name}: its reduce ${reduceName(view)} has no Mango equivalent (only _count)`);
    else {
      indexes[name] = { fields: derived.equivalent.fields };
      if (!derived.equivalent.keyIsArray) scalarKeyViews.push(name);
    }
  }
  const skipped = refused.length ? [`as a Mango index (no equivalent): ${refused.join("; ")}`] : [];
  const moved = Object.keys(indexes);
  if (moved.length === 0) return { skipped };
  if (!mangoAvailable) return { skipped: [...skipped, "Mango indexes: not available on this CouchDB"] };
  const mangoViews: Record<string, ViewSource> = Object.fromEntries(
    moved.map((name) => [name, { map: template.views[name]!.map, reduce: "_count" }]),
  );
  const mango: DesignDocTemplate = {
    source: `${template.source}#mango`,
    views: mangoViews,
    mango: { indexes, origin: "derived from the JavaScript maps, proven equivalent" },
  };
  const left = Object.fromEntries(Object.entries(template.views).filter(([name]) => !(name in indexes)));
  const javascript: DesignDocTemplate[] = Object.keys(left).length ? [{ ...template, views: left }] : [];
  const fields = moved.map((name) => `${name}: fields [${indexes[name]!.fields.join(", ")}]`).join("; ");
  return {
    skipped,
    variant: {
      ...original,
      id: "mango-index",
      kind: "mango-index",
      title: `${moved.join(", ")} as a Mango index`,
      designs: [...javascript, mango],
      designServers: [...javascript.map(() => original.server), "mango"],
      readers: `query ${moved.join(", ")} with POST /{db}/_find using the index (${fields}); _find returns documents, not view values`,
      readerVisible: true,
      mangoScalarKeyViews: scalarKeyViews,
    },
  };
}

function reduceName(view: ViewSource): string {
  return view.reduce!.startsWith("_") ? view.reduce! : "(JavaScript)";
}
