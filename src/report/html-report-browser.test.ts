/**
 * The HTML report in real headless Chromium, opened from disk with the network blocked:
 * it must draw every chart and answer to the mouse like the page says it does.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { fixtureResults } from "./fixtures/results-fixture.js";
import { renderHtmlReport } from "./html-report.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install it (apt-get install -y chromium) to test the report in a browser`;

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

describe("HTML report in Chromium", { skip }, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), "couchbench-report-"));
    const path = join(dir, "report.html");
    await writeFile(path, renderHtmlReport([fixtureResults()]));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(path).href);
    await page.waitForFunction(() => Object.keys((globalThis as any).couchbenchCharts ?? {}).length === 10);
  });

  after(async () => {
    await browser?.close();
  });

  it("renders every chart with the expected series in its legend", async () => {
    const ids = await page.evaluate(() => Object.keys((globalThis as any).couchbenchCharts));
    assert.deepEqual(ids.filter((id) => id.startsWith("small-")), [
      "small-build", "small-throughput", "small-speedup", "small-update", "small-reduce",
    ]);
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
