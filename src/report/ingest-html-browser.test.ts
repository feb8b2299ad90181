/** The ingest page in real headless Chromium, opened from disk with the network blocked. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { ingestConfigFixture, ingestResultsFixture } from "../test-support/ingest-fixture.js";
import { chromiumMissing, openOfflinePage } from "../test-support/offline-page.js";
import { renderIngestHtml } from "./ingest-html.js";

const skip = chromiumMissing("the ingest page");

describe("ingest page in Chromium", { skip }, () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let requests: string[];

  before(async () => {
    ({ browser, page, problems, requests } = await openOfflinePage(
      "ingest.html",
      renderIngestHtml([ingestResultsFixture()]),
      "globalThis.couchbenchIngestCharts !== undefined",
    ));
  });

  after(async () => {
    await browser?.close();
  });

  it("draws every chart, lag against rate on a log scale spanning the lags", async () => {
    assert.equal(await page.locator(".plot canvas").count(), 7);
    const lag = await page.evaluate(() => {
      const u = (globalThis as any).couchbenchIngestCharts[0];
      return {
        distr: u.scales.y.distr as number,
        min: u.scales.y.min as number,
        max: u.scales.y.max as number,
        xs: u.data[0] as number[],
      };
    });
    assert.equal(lag.distr, 3);
    assert.deepEqual(lag.xs, [200, 800, 3200]);
    assert.ok(lag.min <= 100 && lag.max >= 2500, `y ${lag.min}–${lag.max}`);
  });

  it("shows the growing backlog at 3,200 docs/s as a rising javascript line, typescript flat", async () => {
    const series = await page.evaluate(() => {
      const u = (globalThis as any).couchbenchIngestCharts.find(
        (c: any) => c.root.parentElement.id === "f0-over-time-3200" || c.root.closest("#f0-over-time-3200"),
      );
      return u.series.slice(1).map((s: any, i: number) => ({
        label: s.label as string,
        values: (u.data[i + 1] as number[]).filter((v) => v !== null),
      }));
    });
    const js = series.find((s: { label: string }) => s.label === "javascript")!;
    const ts = series.find((s: { label: string }) => s.label === "typescript")!;
    assert.ok(js.values.at(-1)! > js.values[0]! * 3, "javascript's lag rises over the step");
    assert.equal(new Set(ts.values).size, 1, "typescript's lag stays flat");
  });

  it("shows a step's values in the legend on hover", async () => {
    await page.locator("#f0-achieved").scrollIntoViewIfNeeded();
    const area = (await page.locator("#f0-achieved .u-over").boundingBox())!;
    await page.mouse.move(area.x + area.width - 2, area.y + area.height / 2);
    const values = await page.locator("#f0-achieved .u-legend .u-value").allTextContents();
    assert.deepEqual(values.slice(1), ["3,200/s", "2,880/s", "3,197/s"]);
  });

  it("loads nothing from the network and logs no errors", () => {
    assert.deepEqual(requests, []);
    assert.deepEqual(problems, []);
  });
});

describe("ingest page with --config in Chromium", { skip }, () => {
  it("names each series by server and setting in the chart legends, with no errors", async () => {
    const { browser, page, problems, requests } = await openOfflinePage(
      "ingest-config.html",
      renderIngestHtml([ingestConfigFixture()]),
      "globalThis.couchbenchIngestCharts !== undefined",
    );
    try {
      const labels = await page.locator("#f0-lag .u-legend .u-series th").allTextContents();
      assert.ok(labels.includes("javascript · batch_channels=20 p95"), labels.join(", "));
      assert.ok(labels.includes("javascript · batch_channels=80 p95"), labels.join(", "));
      assert.deepEqual(requests, []);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
