/**
 * The run report's "where the time went": per point, the median build split by CouchDB's own
 * counters into map, reduce and reset round trips and CouchDB's own work.
 */
import { splitBuildTime } from "../results/build-time-split.js";
import type { ResultsFile } from "../results/results-format.js";
import { formatMs } from "./format.js";
import { htmlTable } from "./html-parts.js";
import { pointColumns } from "./point-columns.js";
import { collectPoints } from "./points.js";
import { medianSplit, SPLIT_HINT, timeSplitBar, timeSplitLegend } from "./time-split-bar.js";

export function timeSplitSection(files: readonly ResultsFile[]): string {
  const points = files.flatMap((file) => collectPoints(file));
  const columns = pointColumns(points);
  const rows = points.flatMap((point) => {
    const builds = point.measurements.flatMap((m) =>
      m.status === "completed" && m.build && m.queryServerStats
        ? [
            {
              ms: m.build.ms,
              timeSplit: splitBuildTime(m.build.ms, m.queryServerStats, {
                concurrentIndexers: m.q,
                expectedMapDocs: m.docCount,
              }),
            },
          ]
        : [],
    );
    const split = medianSplit(builds);
    if (!split) return [];
    return [
      {
        cells: [
          ...columns.cells(point),
          formatMs(split.mapMs),
          formatMs(split.reduceMs),
          formatMs(split.resetMs),
          formatMs(split.restMs),
          { html: timeSplitBar(split) },
        ],
      },
    ];
  });
  const table = rows.length
    ? htmlTable(
        [...columns.columns.map((column) => column.title), "map", "reduce", "reset", "CouchDB", "median build"],
        rows,
      )
    : "<p>No CouchDB counters were recorded for these builds.</p>";
  return `<section id="time-split">
<h2>Where the build time went</h2>
${table}
${timeSplitLegend()}
${SPLIT_HINT}
</section>`;
}
