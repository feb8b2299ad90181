/** The advise page in real headless Chromium, opened from disk with the network blocked. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, openOfflinePage } from "../test-support/offline-page.js";
import { adviseResultsFixture } from "../test-support/advise-fixture.js";
import { renderAdviseHtml } from "./advise-html.js";

const skip = chromiumMissing("the advise page");

describe("advise page in Chromium", { skip }, () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let requests: string[];

  before(async () => {
    ({ browser, page, problems, requests } = await openOfflinePage(
      "advise.html",
      renderAdviseHtml(adviseResultsFixture()),
      "globalThis.couchbenchAdviseChart !== undefined",
      { width: 1280, height: 900 },
    ));
  });

  after(async () => {
    await browser?.close();
  });

  it("draws the speed-up chart with one point per measured variant, its axis labelled by variant, the 1× line in range", async () => {
    const state = await page.evaluate(() => {
      const u = (globalThis as any).couchbenchAdviseChart;
      return {
        points: u.data[1] as number[],
        xLabels: u.axes[0]._values as string[],
        yMin: u.scales.y.min as number,
        yMax: u.scales.y.max as number,
      };
    });
    assert.deepEqual(state.points, [3, 1.05, 2.9]);
    assert.deepEqual(state.xLabels.filter(Boolean), ["reduce-count", "emit-null", "combined"]);
    assert.ok(state.yMin < 0.98 && state.yMax > 3.3, `y ${state.yMin}–${state.yMax}`);
    assert.equal(await page.locator("#plot-speedup canvas").count(), 1);
  });

  it("shows a variant's speed-up and interval in the legend on hover", async () => {
    const area = (await page.locator("#plot-speedup .u-over").boundingBox())!;
    await page.mouse.move(area.x + 2, area.y + area.height / 2);
    const values = await page.locator("#plot-speedup .u-legend .u-value").allTextContents();
    assert.deepEqual(values, ["reduce-count", "3.00×", "2.60×", "3.30×"]);
  });

  it("stacks each variant's time split in proportion, and the built-in reduce has no reduce round trips", async () => {
    const widths = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll(".table-wrap tbody tr")].map((row: any) =>
        [...row.querySelectorAll(".split span")].map((span: any) => Math.round(span.getBoundingClientRect().width)),
      ),
    );
    assert.equal(widths.length, 5);
    const [original, sum] = widths as number[][];
    assert.ok(original![1]! > 0, "the original spends time in reduce round trips");
    assert.equal(sum![1], 0);
    assert.equal(sum![2], 0);
  });

  it("loads nothing from the network and logs no errors", () => {
    assert.deepEqual(requests, []);
    assert.deepEqual(problems, []);
  });
});
