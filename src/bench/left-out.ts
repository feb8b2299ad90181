/**
 * Documents a map function threw on. CouchDB's JavaScript servers log such an exception and leave the document out of
 * that view, so the index, and the build time, are not what the user thinks they measured.
 *
 * Neither number CouchDB offers tells: its `query_server` statistics count processes and calls, not exceptions, and a
 * view's row count cannot tell a document that threw from one that emitted nothing. So the maps run once more, untimed,
 * on the same query server and database, in a census design doc whose one view wraps every map in a try/catch: the
 * map's own emits go nowhere, a throw emits the view's name, and `_count` grouped by name is the count per view.
 */
import type { CouchClient } from "../couch/couch-client.js";
import { queryServer, type ServerCommand } from "../couch/query-servers.js";
import { renderDesignDoc, type DesignDocTemplate, type ViewSource } from "./design-docs.js";
import { timeIndexBuild } from "./index-build.js";

const CENSUS_VIEW = "left-out";

/** Languages whose functions the census can wrap: the JavaScript ones couchbench knows. */
const CENSUS_LANGUAGES = new Set(["javascript", "javascript_quickjs", "typescript"]);

/**
 * Whether `server`'s builds of `template` can be counted: it runs the design doc's JavaScript (or TypeScript) views.
 */
export function canCountLeftOut(
  template: DesignDocTemplate,
  server: string,
  custom?: readonly ServerCommand[],
): boolean {
  const language = queryServer(server, custom)?.language;
  return language !== undefined && CENSUS_LANGUAGES.has(language) && !template.languages?.[language];
}

/**
 * One map function that runs every map of `views` on a document. Each source is compiled where the parameter `emit`
 * shadows the global one, so its own emits are dropped; a trailing `;` (which CouchDB's servers accept) is cut so the
 * source can stand in parentheses, and the newline before `)` ends a trailing `// comment`.
 */
export function censusMap(views: Record<string, ViewSource>): string {
  const maps = Object.entries(views).map(
    ([name, { map }]) =>
      `    ${JSON.stringify(name)}: function (emit) {\n      return (${map.trim().replace(/;+$/, "")}\n      );\n    }`,
  );
  return [
    "function (doc) {",
    "  var maps = {",
    maps.join(",\n"),
    "  };",
    "  var drop = function () {};",
    "  for (var view in maps) {",
    "    try {",
    "      maps[view](drop)(doc);",
    "    } catch (error) {",
    "      emit(view, null);",
    "    }",
    "  }",
    "}",
  ].join("\n");
}

/**
 * Builds the census design doc of `template` with `server` on `db` (untimed) and returns, for every view, how many of
 * the database's documents its map threw on.
 */
export async function countLeftOut(
  client: CouchClient,
  db: string,
  template: DesignDocTemplate,
  server: string,
  buildId: string,
): Promise<Record<string, number>> {
  const language = queryServer(server)?.language ?? server;
  const census: DesignDocTemplate = {
    source: template.source,
    views: { [CENSUS_VIEW]: { map: censusMap(template.views), reduce: "_count" } },
    ...(template.lib ? { lib: template.lib } : {}),
  };
  const ddoc = renderDesignDoc(census, language, `${buildId}-census`, server);
  await client.putDocument(db, ddoc);
  await timeIndexBuild(client, db, ddoc._id, census);
  const { rows } = await client.queryView<{ rows: Array<{ key: string; value: number }> }>(db, ddoc._id, CENSUS_VIEW, {
    group: true,
  });
  const counts = Object.fromEntries(Object.keys(template.views).map((view) => [view, 0]));
  for (const { key, value } of rows) counts[key] = value;
  return counts;
}
