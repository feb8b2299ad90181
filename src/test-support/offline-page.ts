/**
 * A page written by couchbench, opened from disk in Debian's headless Chromium with the network
 * blocked: what a user gets when they open report.html or advise.html offline.
 */
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/** The skip reason for browser tests on a machine without Chromium (false when it is there). */
export function chromiumMissing(what: string): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `${CHROMIUM} is missing: install it (apt-get install -y chromium) to test ${what} in a browser`;
}

export interface OfflinePage {
  browser: Browser;
  page: Page;
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  /** Every request that left the file: (blocked). */
  requests: string[];
}

/**
 * Writes `html` to a fresh directory as `name`, opens it, and waits until the expression `ready` is true in the page.
 */
export async function openOfflinePage(
  name: string,
  html: string,
  ready: string,
  viewport = { width: 1440, height: 1000 },
): Promise<OfflinePage> {
  const path = join(await mkdtemp(join(tmpdir(), "couchbench-page-")), name);
  await writeFile(path, html);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(ready);
  return { browser, page, problems, requests };
}
