/**
 * `results → chart payload`: per dataset, one chart per metric, each as columnar arrays
 * `[xs, median…]` plus low/high arrays for the band. The page script only draws this.
 */
import type { ResultsFile } from "../results/results-format.js";
import {
  collectPoints,
  compareSeries,
  FLOOR_SERVER,
  floorPointFor,
  indexByKey,
  referencePointFor,
  REFERENCE_SERVER,
  seriesDimensions,
  seriesKey,
  shardsLabel,
  type Point,
} from "./points.js";
import { seriesStyle, type SeriesStyle } from "./series-style.js";
import { median, ratioInterval } from "../core/stats.js";

export interface ReportPayload {
  datasets: DatasetCharts[];
}

export interface DatasetCharts {
  dataset: string;
  /** Section title when it is not the dataset's (history sections). */
  heading?: string;
  /** Usable in an element id; charts' ids start with it. */
  id: string;
  charts: ChartSpec[];
}

export type ChartUnit = "ms" | "docs/s" | "×";

export interface ChartSpec {
  /** Unique in the page, usable in an element id: `small-build`. */
  id: string;
  title: string;
  subtitle: string;
  unit: ChartUnit;
  /** What the y axis measures: `build time`. */
  yLabel: string;
  /** Initial y scale; the page has a toggle. */
  yLog: boolean;
  /** Document counts (log x axis), or with `xKind: "night"` the runs' start times in Unix seconds. */
  xs: number[];
  xKind?: "documents" | "night";
  series: SeriesSpec[];
}

export interface SeriesSpec {
  label: string;
  color: string;
  dash: number[];
  /** Aligned with `xs`; null where the series has no measurement. */
  median: (number | null)[];
  /** Band: min–max over repeats, or the interval of a ratio. */
  low: (number | null)[];
  high: (number | null)[];
}

/** A plotted value at one point: centre line and band. */
interface Band {
  median: number;
  low: number;
  high: number;
}

interface MetricDef {
  key: string;
  title: string;
  subtitle: string;
  unit: ChartUnit;
  yLabel: string;
  yLog: boolean;
  value: (point: Point, byKey: ReadonlyMap<string, Point>) => Band | undefined;
}

const METRICS: MetricDef[] = [
  {
    key: "build",
    yLabel: "build time",
    title: "Index build time",
    unit: "ms",
    yLog: true,
    subtitle: "Median over repeats; band: min–max",
    value: (p) => minMax(p.buildMs),
  },
  {
    key: "all-copies",
    yLabel: "build time",
    title: "Index build time, every copy",
    unit: "ms",
    yLog: true,
    subtitle: "Clusters: until every copy of every shard range, on every node, is built; band: min–max",
    value: (p) => minMax(p.allCopiesMs),
  },
  {
    key: "throughput",
    yLabel: "documents / s",
    title: "Build throughput",
    unit: "docs/s",
    yLog: false,
    subtitle: "Documents indexed per second; band: min–max",
    value: (p) => minMax(p.buildDocsPerSec),
  },
  {
    key: "speedup",
    yLabel: "speed-up",
    title: "Speed-up vs couchjs",
    unit: "×",
    yLog: false,
    subtitle: "couchjs build time ÷ this server's (same CouchDB and q); band: 95% bootstrap interval",
    value: speedup,
  },
  {
    key: "floor",
    yLabel: "× erlang",
    title: "Build time as a multiple of Erlang native views",
    unit: "×",
    yLog: false,
    subtitle:
      "This server's build time ÷ erlang's (same CouchDB and q): 1× is the fastest a view build gets on that CouchDB; band: 95% bootstrap interval",
    value: multipleOfFloor,
  },
  {
    key: "update",
    yLabel: "update time",
    title: "Incremental update",
    unit: "ms",
    yLog: true,
    subtitle: "Indexing the documents added after the build; band: min–max",
    value: (p) => minMax(p.updateMs),
  },
  {
    key: "reduce",
    yLabel: "query time",
    title: "Reduce query",
    unit: "ms",
    yLog: true,
    subtitle: "Full reduce=true query on the built count view; band: min–max",
    value: (p) => minMax(p.reduceMs),
  },
];

function minMax(samples: readonly number[]): Band | undefined {
  if (samples.length === 0) return undefined;
  return { median: median(samples), low: Math.min(...samples), high: Math.max(...samples) };
}

function speedup(point: Point, byKey: ReadonlyMap<string, Point>): Band | undefined {
  const reference = referencePointFor(point, byKey);
  if (point.server === REFERENCE_SERVER || !reference?.buildMs.length || !point.buildMs.length) return undefined;
  // ratio = median(reference) / median(point): the "current" side of the ratio is couchjs.
  return ratioBand(point.buildMs, reference.buildMs);
}

function multipleOfFloor(point: Point, byKey: ReadonlyMap<string, Point>): Band | undefined {
  const floor = floorPointFor(point, byKey);
  if (point.server === FLOOR_SERVER || !floor?.buildMs.length || !point.buildMs.length) return undefined;
  return ratioBand(floor.buildMs, point.buildMs);
}

/** median(current) / median(baseline), banded by its bootstrap interval. */
function ratioBand(baseline: readonly number[], current: readonly number[]): Band {
  const interval = ratioInterval(baseline, current);
  return { median: interval.ratio, low: interval.low, high: interval.high };
}

interface PlottedPoint {
  point: Point;
  series: string;
  byKey: ReadonlyMap<string, Point>;
}

export function buildChartPayload(files: readonly ResultsFile[]): ReportPayload {
  const plotted = plottedPoints(files);
  const versions = distinct(plotted.map((p) => p.point.couchdbVersion));
  const shards = distinct(plotted.map((p) => shardsLabel(p.point, "/")));
  const servers = distinct(plotted.map((p) => p.point.server));
  // Series of one server that differ by design doc, ids or settings differ by dash, like q (and n).
  const variantOf = (p: Point) => `${p.designDoc}/${p.ids}/${p.config ?? ""}`;
  const variants = distinct(plotted.map((p) => variantOf(p.point)));
  // Settings (--config) also change the lightness: a dash alone is invisible on a chart of one size.
  const configs = distinct(plotted.map((p) => p.point.config ?? ""));
  const styleOf = (p: Point) =>
    seriesStyle(
      p.server,
      versions.indexOf(p.couchdbVersion) + versions.length * configs.indexOf(p.config ?? ""),
      shards.indexOf(shardsLabel(p, "/")) + shards.length * variants.indexOf(variantOf(p)),
      servers,
    );
  return {
    datasets: distinct(plotted.map((p) => p.point.dataset)).map((dataset) => {
      const inDataset = plotted.filter((p) => p.point.dataset === dataset);
      const id = slug(dataset);
      const charts = METRICS.map((metric) => chartSpec(metric, `${id}-${metric.key}`, inDataset, styleOf));
      return { dataset, id, charts: charts.filter((c) => c.series.length > 0) };
    }),
  };
}

function chartSpec(
  metric: MetricDef,
  id: string,
  inDataset: readonly PlottedPoint[],
  styleOf: (point: Point) => SeriesStyle,
): ChartSpec {
  const xs = distinct(inDataset.map((p) => p.point.docCount)).sort((a, b) => a - b);
  const valued = inDataset
    .map((p) => ({ ...p, band: metric.value(p.point, p.byKey) }))
    .filter((p) => p.band)
    .sort((a, b) => compareSeries(a.point, b.point));
  const { key: _key, value: _value, ...labels } = metric;
  return {
    id,
    ...labels,
    xs,
    series: distinct(valued.map((p) => p.series)).map((name) => {
      const bands = xs.map((x) => valued.find((p) => p.series === name && p.point.docCount === x)?.band);
      return {
        label: name,
        ...styleOf(valued.find((p) => p.series === name)!.point),
        median: bands.map((b) => b?.median ?? null),
        low: bands.map((b) => b?.low ?? null),
        high: bands.map((b) => b?.high ?? null),
      };
    }),
  };
}

/** Every point of every file with its series name; the run id joins the name only when two files share a series. */
function plottedPoints(files: readonly ResultsFile[]): PlottedPoint[] {
  const perFile = files.map((file) => {
    const points = collectPoints(file);
    return { file, points, byKey: indexByKey(points) };
  });
  const all = perFile.flatMap(({ points }) => points);
  const shown = seriesDimensions(all);
  const seriesCount = new Map<string, number>();
  for (const { points } of perFile) {
    for (const name of distinct(points.map((p) => seriesKey(p, shown)))) {
      seriesCount.set(name, (seriesCount.get(name) ?? 0) + 1);
    }
  }
  const shared = [...seriesCount.values()].some((n) => n > 1);
  return perFile.flatMap(({ file, points, byKey }) =>
    points.map((point) => ({
      point,
      byKey,
      series: shared ? `${seriesKey(point, shown)} · ${file.runId}` : seriesKey(point, shown),
    })),
  );
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "dataset"
  );
}
