import type { DesignDocTemplate } from "../design-docs.js";

/**
 * One design doc per view. CouchDB indexes the views of one design doc in a single pass over
 * the documents (one map_doc round trip per document for all of them); separate design docs
 * are indexed by separate indexers in parallel, but each reads and maps every document.
 */
export function splitViews(template: DesignDocTemplate): DesignDocTemplate[] {
  return Object.entries(template.views).map(([name, view]) => ({
    source: `${template.source}#${name}`,
    views: { [name]: view },
    ...(template.lib ? { lib: template.lib } : {}),
  }));
}
