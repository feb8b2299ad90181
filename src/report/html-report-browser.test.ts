/**
 * The HTML report in real headless Chromium, opened from disk with the network blocked:
 * it must draw every chart and answer to the mouse like the page says it does.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, openOfflinePage } from "../test-support/offline-page.js";
import type { ResultsFile } from "../results/results-format.js";
import type { ReportPayload } from "./chart-data.js";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderHtmlReport, type HtmlReportOptions } from "./html-report.js";
import { nightlyResults } from "../test-support/nightly-results.js";

const skip = chromiumMissing("the report");

/** Reads a chart's state through the handle the page exposes. */
function chartState(page: Page, id: string) {
  return page.evaluate((chartId) => {
    const u = (globalThis as any).couchbenchCharts[chartId];
    return {
      xMin: u.scales.x.min as number,
      xMax: u.scales.x.max as number,
      yDistr: u.scales.y.distr as number,
      shown: u.series.map((s: { show: boolean }) => s.show) as boolean[],
    };
  }, id);
}

/** Each chart's axis labels as uPlot drew them (its `_splits` and `_values`), with the y scale and tick positions. */
function axisLabels(page: Page) {
  return page.evaluate(() =>
    Object.entries((globalThis as any).couchbenchCharts).map(([id, u]: [string, any]) => ({
      id,
      yMin: u.scales.y.min as number,
      yMax: u.scales.y.max as number,
      ySplits: u.axes[1]._splits as number[],
      yLabels: u.axes[1]._values as string[],
      yPositions: u.axes[1]._splits.map((v: number) => u.valToPos(v, "y")) as number[],
      xLabels: u.axes[0]._values as string[],
    })),
  );
}

/** Opens the report of `files` from disk with the network blocked, once its `charts` charts are drawn. */
async function openReport(files: ResultsFile[], charts: number, options: HtmlReportOptions = {}) {
  return openOfflinePage(
    "report.html",
    renderHtmlReport(files, options),
    `Object.keys(globalThis.couchbenchCharts ?? {}).length === ${charts}`,
  );
}

describe("HTML report in Chromium", { skip }, () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let requests: string[];

  before(async () => {
    ({ browser, page, problems, requests } = await openReport([fixtureResults()], 10));
  });

  after(async () => {
    await browser?.close();
  });

  it("renders every chart with the expected series in its legend", async () => {
    const ids = await page.evaluate(() => Object.keys((globalThis as any).couchbenchCharts));
    assert.deepEqual(
      ids.filter((id) => id.startsWith("small-")),
      ["small-build", "small-throughput", "small-speedup", "small-update", "small-reduce"],
    );
    const labels = await page.locator("#plot-small-build .u-legend .u-series .u-label").allTextContents();
    assert.equal(labels[0], "documents");
    assert.equal(labels.length, 13);
    assert.ok(labels.includes("typescript · 3.5.0 · q2"));
    const speedup = await page.locator("#plot-small-speedup .u-legend .u-label").allTextContents();
    assert.equal(speedup.filter((l) => l.startsWith("javascript")).length, 0);
    assert.equal(await page.locator("#plot-small-build canvas").count(), 1);
  });

  it("zooms the x axis on a drag and resets on double-click", async () => {
    const before = await chartState(page, "small-build");
    const box = (await page.locator("#plot-small-build .u-over").boundingBox())!;
    await page.locator("#plot-small-build").scrollIntoViewIfNeeded();
    const area = (await page.locator("#plot-small-build .u-over").boundingBox())!;
    assert.ok(area.width === box.width);
    const y = area.y + area.height / 2;
    await page.mouse.move(area.x + area.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * 0.7, y, { steps: 8 });
    await page.mouse.up();
    const zoomed = await chartState(page, "small-build");
    assert.ok(zoomed.xMin > before.xMin && zoomed.xMax < before.xMax, `x ${zoomed.xMin}–${zoomed.xMax}`);
    await page.mouse.dblclick(area.x + area.width / 2, y);
    const reset = await chartState(page, "small-build");
    assert.deepEqual([reset.xMin, reset.xMax], [before.xMin, before.xMax]);
  });

  it("shows every series' value in the legend on hover", async () => {
    const area = (await page.locator("#plot-small-build .u-over").boundingBox())!;
    await page.mouse.move(area.x + area.width - 2, area.y + area.height / 2);
    const values = await page.locator("#plot-small-build .u-legend .u-value").allTextContents();
    assert.equal(values[0], "10k");
    assert.equal(values.length, 13);
    for (const value of values.slice(1)) assert.match(value, /^[\d.]+ (ms|s) \([\d.]+ (ms|s)–[\d.]+ (ms|s)\)$/);
  });

  it("hides a series when its legend entry is clicked", async () => {
    const entry = page.locator("#plot-small-throughput .u-legend .u-series").nth(2);
    await entry.click();
    assert.equal((await chartState(page, "small-throughput")).shown[2], false);
    assert.match((await entry.getAttribute("class")) ?? "", /u-off/);
    await entry.click();
    assert.equal((await chartState(page, "small-throughput")).shown[2], true);
  });

  it("toggles the y axis between log and linear, keeping hidden series hidden", async () => {
    const toggle = page.locator("#ylog-small-update");
    assert.equal(await toggle.textContent(), "y: log");
    assert.equal((await chartState(page, "small-update")).yDistr, 3);
    await page.locator("#plot-small-update .u-legend .u-series").nth(1).click();
    await toggle.click();
    const linear = await chartState(page, "small-update");
    assert.equal(linear.yDistr, 1);
    assert.equal(linear.shown[1], false);
    assert.equal(await toggle.textContent(), "y: linear");
    assert.equal(await page.locator("#plot-small-update canvas").count(), 1, "the old chart is gone");
    await toggle.click();
    assert.equal((await chartState(page, "small-update")).yDistr, 3);
  });

  it("logs no errors and fetches nothing from the network", () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
  });
});

/**
 * A run like a quick real one: dataset `small` has 2 sizes (100 and 2000 documents, times within
 * one to two decades, reduce times within one) for couchjs and TypeScript, 2 repeats; dataset
 * `large` has a single size measured by a single server.
 */
function narrowRun(): ResultsFile {
  const file = fixtureResults({ sizes: { small: [100, 2_000], large: [1_000] }, repeats: 2, clean: true });
  const kept = (m: ResultsFile["measurements"][number]) =>
    m.couchdbVersion === "3.4.3" &&
    m.q === 1 &&
    (m.dataset === "small" ? m.server !== "quickjs" : m.server === "typescript");
  return { ...file, measurements: file.measurements.filter(kept) };
}

describe("HTML report in Chromium: narrow ranges, a single size, a single server", { skip }, () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];

  before(async () => {
    // small: build, throughput, speed-up, update, reduce; large: all but the speed-up.
    ({ browser, page, problems } = await openReport([narrowRun()], 9));
  });

  after(async () => {
    await browser?.close();
  });

  it("labels at least 3 distinct, spaced ticks on every y axis, log or linear", async () => {
    const axes = await axisLabels(page);
    assert.deepEqual(
      axes.filter((a) => a.id.startsWith("small-")).map((a) => a.id),
      ["small-build", "small-throughput", "small-speedup", "small-update", "small-reduce"],
    );
    for (const axis of axes) {
      const labels = axis.yLabels.filter((l) => l !== "");
      assert.ok(labels.length >= 3, `${axis.id}: ${JSON.stringify(axis.yLabels)}`);
      assert.equal(labels.length, axis.yLabels.length, `${axis.id}: a blank label`);
      assert.equal(new Set(labels).size, labels.length, `${axis.id}: ${labels}`);
      for (const v of axis.ySplits) assert.ok(v >= axis.yMin && v <= axis.yMax, `${axis.id}: ${v} outside the scale`);
      axis.yPositions
        .slice(1)
        .forEach((y, i) => assert.ok(Math.abs(y - axis.yPositions[i]!) >= 20, `${axis.id}: crowded`));
    }
    const reduce = axes.find((a) => a.id === "small-reduce")!;
    assert.ok(reduce.yMax / reduce.yMin < 10, "the reduce times are within a decade");
  });

  it("labels the measured sizes on the x axis", async () => {
    for (const axis of await axisLabels(page)) {
      const sizes = axis.id.startsWith("small-") ? ["100", "2k"] : ["1k"];
      for (const size of sizes) assert.ok(axis.xLabels.includes(size), `${axis.id}: ${axis.xLabels}`);
      assert.ok(axis.xLabels.length >= 3, `${axis.id}: ${axis.xLabels}`);
    }
  });

  it("fits every band (min–max of the repeats) in the y range", async () => {
    const payload: ReportPayload = JSON.parse((await page.locator("#couchbench-data").textContent())!);
    const ranges = new Map((await axisLabels(page)).map((a) => [a.id, a]));
    for (const chart of payload.datasets.flatMap((d) => d.charts)) {
      const { yMin, yMax } = ranges.get(chart.id)!;
      for (const s of chart.series) {
        for (const v of [...s.low, ...s.high]) assert.ok(v == null || (v >= yMin && v <= yMax), `${chart.id}: ${v}`);
      }
    }
  });

  it("logs no errors", () => {
    assert.deepEqual(problems, []);
  });
});

describe("HTML report in Chromium: --history over nightly files", { skip }, () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];

  before(async () => {
    // 5 dataset × size sections of 2 history charts, then the newest night's 10 charts.
    ({ browser, page, problems } = await openReport(nightlyResults(5), 20, { history: true }));
  });

  after(async () => {
    await browser?.close();
  });

  it("draws a trend per point with the nights, labelled as dates, on x", async () => {
    const headings = await page.locator("section.dataset h2").allTextContents();
    assert.equal(headings[0], "large, 100 documents: history");
    assert.equal(headings.filter((h) => h.endsWith(": history")).length, 5);
    const axis = (await axisLabels(page)).find((a) => a.id === "history-small-10000-build")!;
    const nights = axis.xLabels.filter((l) => l !== "");
    assert.ok(nights.length >= 2, String(nights));
    for (const label of nights) assert.match(label, /^2025-1[12]-\d\d \d\d:\d\d$/);
    const state = await chartState(page, "history-small-10000-build");
    assert.equal(state.xMin, Date.parse("2025-11-27T03:17:00Z") / 1000);
    assert.equal(state.xMax, Date.parse("2025-12-01T03:17:00Z") / 1000);
  });

  it("shows each night's median and interval in the legend on hover", async () => {
    const area = (await page.locator("#plot-history-small-10000-relative .u-over").boundingBox())!;
    await page.locator("#plot-history-small-10000-relative").scrollIntoViewIfNeeded();
    const box = (await page.locator("#plot-history-small-10000-relative .u-over").boundingBox())!;
    assert.equal(box.width, area.width);
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    const values = await page.locator("#plot-history-small-10000-relative .u-legend .u-value").allTextContents();
    assert.equal(values[0], "2025-12-01 03:17");
    const labels = await page.locator("#plot-history-small-10000-relative .u-legend .u-label").allTextContents();
    assert.equal(labels.filter((l) => l.startsWith("javascript")).length, 0);
    for (const value of values.slice(1)) assert.match(value, /^[\d.]+× \([\d.]+×–[\d.]+×\)$/);
  });

  it("logs no errors", () => {
    assert.deepEqual(problems, []);
  });
});
