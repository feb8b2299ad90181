/**
 * `report --history`: nightly results files as a trend per point (dataset × size), x = the
 * night (the run's start), so a slow drift shows where night-to-night comparisons miss it.
 * Two charts per point: the median build time with the 95% bootstrap interval of that median,
 * and each server ÷ couchjs in the same repeats (the figure that survives a change of runner).
 */
import type { ResultsFile } from "../results/results-format.js";
import { slug, type ChartSpec, type DatasetCharts, type SeriesSpec } from "./chart-data.js";
import {
  collectPoints,
  compareSeries,
  indexByKey,
  pairedRatios,
  referencePointFor,
  REFERENCE_SERVER,
  seriesDimensions,
  seriesKey,
  type Point,
  type PointKey,
} from "./points.js";
import { seriesStyle } from "./series-style.js";
import { medianInterval, type MedianInterval } from "../core/stats.js";

interface Night {
  /** Unix seconds of the run's start: the x of its values. */
  x: number;
  points: Point[];
  byKey: ReadonlyMap<string, Point>;
}

/** One section per dataset × size, oldest night first. */
export function buildHistoryCharts(files: readonly ResultsFile[]): DatasetCharts[] {
  const nights: Night[] = files
    .map((file) => {
      const points = collectPoints(file).filter((p) => p.buildMs.length > 0);
      return { x: Math.round(Date.parse(file.createdAt) / 1000), points, byKey: indexByKey(points) };
    })
    .sort((a, b) => a.x - b.x);
  const xs = [...new Set(nights.map((n) => n.x))];
  const all = nights.flatMap((n) => n.points);
  const versions = [...new Set(all.map((p) => p.couchdbVersion))];
  const shards = [...new Set(all.map((p) => p.q))];
  const servers = [...new Set(all.map((p) => p.server))];
  const shown = seriesDimensions(all);
  const seriesOfPoint = (point: PointKey) => seriesKey(point, shown);
  const places = [...new Map(all.map((p) => [`${p.dataset}/${p.docCount}`, p])).values()].sort(
    (a, b) => a.dataset.localeCompare(b.dataset) || a.docCount - b.docCount,
  );
  return places.map(({ dataset, docCount }) => {
    const id = `history-${slug(dataset)}-${docCount}`;
    const here = (p: Point) => p.dataset === dataset && p.docCount === docCount;
    const seriesOf = (value: (point: Point, night: Night) => MedianInterval | undefined): SeriesSpec[] => {
      const examples = [...new Map(all.filter(here).map((p) => [seriesOfPoint(p), p])).values()].sort(compareSeries);
      return examples.flatMap((example) => {
        const bands = xs.map((x) => {
          const night = nights.find(
            (n) => n.x === x && n.points.some((p) => here(p) && seriesOfPoint(p) === seriesOfPoint(example)),
          );
          const point = night?.points.find((p) => here(p) && seriesOfPoint(p) === seriesOfPoint(example));
          return point && night ? value(point, night) : undefined;
        });
        if (bands.every((b) => !b)) return [];
        return [
          {
            label: seriesOfPoint(example),
            ...seriesStyle(
              example.server,
              versions.indexOf(example.couchdbVersion),
              shards.indexOf(example.q),
              servers,
            ),
            median: bands.map((b) => b?.median ?? null),
            low: bands.map((b) => b?.low ?? null),
            high: bands.map((b) => b?.high ?? null),
          },
        ];
      });
    };
    const chart = (key: string, spec: Omit<ChartSpec, "id" | "xs" | "xKind">): ChartSpec => ({
      id: `${id}-${key}`,
      xs,
      xKind: "night",
      ...spec,
    });
    const charts = [
      chart("build", {
        title: "Build time per night",
        subtitle: "Median over the night's repeats; band: 95% bootstrap interval of the median",
        unit: "ms",
        yLabel: "build time",
        yLog: false,
        series: seriesOf((p) => medianInterval(p.buildMs)),
      }),
      chart("relative", {
        title: "÷ couchjs per night",
        subtitle: "Build time ÷ couchjs's in the same repeat (machine speed cancels); band: 95% bootstrap interval",
        unit: "×",
        yLabel: "÷ couchjs",
        yLog: false,
        series: seriesOf(relativeToCouchjs),
      }),
    ].filter((c) => c.series.length > 0);
    return { dataset, id, heading: `${dataset}, ${docCount} documents: history`, charts };
  });
}

function relativeToCouchjs(point: Point, night: Night): MedianInterval | undefined {
  const reference = point.server === REFERENCE_SERVER ? undefined : referencePointFor(point, night.byKey);
  const ratios = reference ? pairedRatios(point, reference) : [];
  return ratios.length > 0 ? medianInterval(ratios) : undefined;
}
