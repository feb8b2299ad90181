/**
 * The script of the HTML report, run in the browser. Written as typed functions so the
 * compiler checks it against the payload types; `pageScript()` inlines their source text.
 * Every function here must only call the others listed in `pageScript` (no imports, no
 * module constants): they are copied into the page one by one.
 *
 * The page exposes `window.couchbenchCharts` (chart id → uPlot instance) for tests and for
 * poking at the data from the devtools console.
 */
import { logRange, logTicks } from "./chart-axes.js";
import type { ChartSpec } from "./chart-data.js";
import { formatCount, formatMs, formatRatio } from "./format.js";

// Browser globals: the project compiles without the DOM library, and this code only runs in the page.
declare const document: any;
declare const window: any;
declare const uPlot: any;

type Uplot = any;

const PLOT_HEIGHT = 320;

export function pageScript(): string {
  const functions = [
    formatMs,
    formatCount,
    formatRatio,
    formatNight,
    logRange,
    logTicks,
    bootReport,
    mountChart,
    chartOptions,
    axisOptions,
    logSplits,
    valueRange,
    formatValue,
    legendValue,
    drawBands,
    drawUnityLine,
  ];
  return `"use strict";\nconst PLOT_HEIGHT = ${PLOT_HEIGHT};\n${functions.map(String).join("\n")}\nbootReport();\n`;
}

function bootReport(): void {
  const payload = JSON.parse(document.getElementById("couchbench-data").textContent);
  const charts: Record<string, Uplot> = {};
  window.couchbenchCharts = charts;
  for (const dataset of payload.datasets) {
    for (const spec of dataset.charts) mountChart(spec, dataset.dataset, charts);
  }
  window.addEventListener("resize", () => {
    for (const id of Object.keys(charts)) {
      const holder = document.getElementById(`plot-${id}`);
      charts[id].setSize({ width: holder.clientWidth, height: PLOT_HEIGHT });
    }
  });
}

/**
 * Creates the chart, and recreates it when the y scale is toggled (uPlot cannot change a scale's distribution in
 * place).
 */
function mountChart(spec: ChartSpec, dataset: string, charts: Record<string, Uplot>): void {
  const holder = document.getElementById(`plot-${spec.id}`);
  const toggle = document.getElementById(`ylog-${spec.id}`);
  const data = [spec.xs, ...spec.series.map((s) => s.median)];
  let yLog = spec.yLog;
  const create = (previous?: Uplot) => {
    const opts = chartOptions(spec, dataset, yLog, holder.clientWidth);
    if (previous) {
      opts.series.forEach((s: { show: boolean }, i: number) => (s.show = previous.series[i].show));
      previous.destroy();
    }
    const chart = new uPlot(opts, data, holder);
    if (previous) chart.setScale("x", { min: previous.scales.x.min, max: previous.scales.x.max });
    charts[spec.id] = chart;
    toggle.textContent = yLog ? "y: log" : "y: linear";
    toggle.setAttribute("aria-pressed", String(yLog));
  };
  toggle.addEventListener("click", () => {
    yLog = !yLog;
    create(charts[spec.id]);
  });
  create();
}

function chartOptions(spec: ChartSpec, dataset: string, yLog: boolean, width: number): any {
  const yFormat = (v: number) => formatValue(spec.unit, v);
  const nights = spec.xKind === "night";
  const xFormat = nights ? formatNight : formatCount;
  return {
    width,
    height: PLOT_HEIGHT,
    cursor: {
      drag: { x: true, y: false, setScale: true },
      // Hovering one chart shows the same document count in the dataset's other charts.
      sync: { key: `dataset-${dataset}`, setSeries: false },
      focus: { prox: 24 },
    },
    focus: { alpha: 0.35 },
    legend: { live: true },
    scales: {
      // Exact range: uPlot's log default snaps a zoom out to whole magnitudes, undoing it.
      // (A lone size never arrives as min = max: uPlot widens it to whole magnitudes first.)
      x: nights
        ? {
            time: false,
            distr: 1,
            range: (_u: Uplot, min: number, max: number) => (min === max ? [min - 43_200, max + 43_200] : [min, max]),
          }
        : { time: false, distr: 3, log: 10, range: (_u: Uplot, min: number, max: number) => [min, max] },
      y: {
        distr: yLog ? 3 : 1,
        log: 10,
        range: (u: Uplot, min: number | null, max: number | null) => valueRange(u, spec, yLog, min, max),
      },
    },
    axes: [
      nights
        ? axisOptions("night (UTC)", 50, formatNight)
        : axisOptions("documents", 50, formatCount, logSplits(50, formatCount, spec.xs)),
      axisOptions(spec.yLabel, 76, yFormat, yLog ? logSplits(24, yFormat, []) : undefined),
    ],
    series: [
      { label: nights ? "night" : "documents", value: (_u: Uplot, v: number | null) => (v == null ? "–" : xFormat(v)) },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        dash: s.dash,
        width: 2,
        spanGaps: true,
        points: { show: true, size: 6, fill: s.color },
        value: (_u: Uplot, v: number | null, _si: number, idx: number | null) => legendValue(spec, i, v, idx),
      })),
    ],
    hooks: {
      drawSeries: [(u: Uplot, si: number) => drawBands(u, si, spec)],
      draw: [(u: Uplot) => drawUnityLine(u, spec)],
    },
  };
}

/**
 * `splits` replaces uPlot's ticks (log axes get `logSplits`). Every tick is labelled: uPlot's
 * default filter on a log axis would blank all but those it deems round and uncrowded.
 */
function axisOptions(label: string, size: number, format: (v: number) => string, splits?: unknown): any {
  return {
    label,
    size,
    ...(splits ? { splits } : {}),
    filter: (_u: Uplot, ticks: number[]) => ticks,
    values: (_u: Uplot, ticks: number[]) => ticks.map(format),
    grid: { stroke: "#e6e8eb" },
    ticks: { stroke: "#c9ced4" },
  };
}

/** Ticks of a log axis at least `minGap` CSS px apart, with `pinned` values (the measured sizes) always among them. */
function logSplits(minGap: number, format: (v: number) => string, pinned: number[]) {
  return (u: Uplot, axisIndex: number, min: number, max: number) =>
    logTicks(min, max, (axisIndex === 0 ? u.bbox.width : u.bbox.height) / uPlot.pxRatio, minGap, format, pinned);
}

/**
 * The y range: the shown series' medians (which uPlot found in the x window) and their bands
 * in that window, padded; a log range by `logRange`, a linear one like uPlot's default but at
 * least a tenth of the values wide, so that ticks differ in their first three digits.
 */
function valueRange(
  u: Uplot,
  spec: ChartSpec,
  yLog: boolean,
  min: number | null,
  max: number | null,
): (number | null)[] {
  const [first, last] = u.series[0].idxs;
  const values = [min, max];
  spec.series.forEach((s, i) => {
    if (u.series[i + 1].show) values.push(...s.low.slice(first, last + 1), ...s.high.slice(first, last + 1));
  });
  const present = values.filter((v): v is number => v != null);
  if (present.length === 0) return [null, null];
  const [low, high] = [Math.min(...present), Math.max(...present)];
  if (yLog) return logRange(low, high);
  const widen = Math.max(0, 0.1 * Math.max(Math.abs(low), Math.abs(high)) - (high - low)) / 2;
  return uPlot.rangeNum(low - widen, high + widen, 0.1, true);
}

/** A history chart's x: the run's start, `2026-12-01 03:17` UTC. */
function formatNight(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}

function formatValue(unit: string, value: number): string {
  if (unit === "ms") return formatMs(value);
  if (unit === "×") return formatRatio(value);
  return formatCount(value);
}

/** Live legend text: the median, and the band when it is wider than the line. */
function legendValue(spec: ChartSpec, seriesIndex: number, value: number | null, idx: number | null): string {
  if (value == null || idx == null) return "–";
  const series = spec.series[seriesIndex]!;
  const low = series.low[idx];
  const high = series.high[idx];
  const main = formatValue(spec.unit, value);
  if (low == null || high == null || low === high) return main;
  return `${main} (${formatValue(spec.unit, low)}–${formatValue(spec.unit, high)})`;
}

/** Min–max band (or ratio interval) behind a series; a lone point gets a whisker. */
function drawBands(u: Uplot, seriesIndex: number, spec: ChartSpec): void {
  const series = spec.series[seriesIndex - 1];
  if (!series || !u.series[seriesIndex].show) return;
  const ctx = u.ctx;
  const at = (i: number, value: number | null) =>
    value == null ? null : [u.valToPos(spec.xs[i], "x", true), u.valToPos(value, "y", true)];
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.fillStyle = series.color.replace("hsl(", "hsla(").replace(")", ", 0.16)");
  ctx.strokeStyle = series.color;
  ctx.lineWidth = 1.5 * (window.devicePixelRatio || 1);
  let run: number[] = [];
  const flush = () => {
    const highs = run.map((i) => at(i, series.high[i])!);
    const lows = run.map((i) => at(i, series.low[i])!).reverse();
    ctx.beginPath();
    if (run.length === 1) {
      ctx.moveTo(highs[0]![0], highs[0]![1]);
      ctx.lineTo(lows[0]![0], lows[0]![1]);
      ctx.stroke();
    } else if (run.length > 1) {
      [...highs, ...lows].forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.fill();
    }
    run = [];
  };
  spec.xs.forEach((_x, i) => (series.low[i] == null || series.high[i] == null ? flush() : run.push(i)));
  flush();
  ctx.restore();
}

/** Ratio charts get a line at 1×: couchjs's build time (speed-up) or erlang's (the floor). */
function drawUnityLine(u: Uplot, spec: ChartSpec): void {
  if (spec.unit !== "×") return;
  const y = u.valToPos(1, "y", true);
  if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#8a939e";
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(u.bbox.left, y);
  ctx.lineTo(u.bbox.left + u.bbox.width, y);
  ctx.stroke();
  ctx.restore();
}
