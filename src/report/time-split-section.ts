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
import {
  cpuSplitText,
  medianCpu,
  medianSplit,
  restText,
  SPLIT_HINT,
  timeSplitBar,
  timeSplitLegend,
} from "./time-split-bar.js";

export function timeSplitSection(files: readonly ResultsFile[]): string {
  const points = files.flatMap((file) => collectPoints(file));
  const columns = pointColumns(points);
  const rows = points.flatMap((point) => {
    const builds = point.measurements.flatMap((m) =>
      m.status === "completed" && m.build && m.queryServerStats
        ? [
            {
              ms: m.build.ms,
              ...(m.build.cost?.beamCpuMs !== undefined && m.build.queryServerCpuMs !== undefined
                ? { cpu: { beamMs: m.build.cost.beamCpuMs, queryServerMs: m.build.queryServerCpuMs } }
                : {}),
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
          restText(split),
          { html: timeSplitBar(split) },
          cpuSplitText(medianCpu(builds)),
        ],
      },
    ];
  });
  const table = rows.length
    ? htmlTable(
        [
          ...columns.columns.map((column) => column.title),
          "map",
          "reduce",
          "reset",
          "rest of wall time",
          "critical path (median build)",
          "CPU: beam / query servers",
        ],
        rows,
      )
    : "<p>No CouchDB counters were recorded for these builds.</p>";
  return `<section id="time-split">
<h2>Where the build time went: critical path, and CPU</h2>
${table}
${timeSplitLegend()}
${SPLIT_HINT}
</section>`;
}
