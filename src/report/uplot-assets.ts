/**
 * uPlot's minified script and stylesheet, read from the installed package so the report can
 * inline them and open offline. Read once per process.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface UplotAssets {
  script: string;
  style: string;
}

let cached: UplotAssets | undefined;

export function uplotAssets(): UplotAssets {
  if (!cached) {
    // uplot has no "exports" map, so its package.json resolves and locates dist/.
    const dist = join(dirname(createRequire(import.meta.url).resolve("uplot/package.json")), "dist");
    cached = {
      script: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"),
      style: readFileSync(join(dist, "uPlot.min.css"), "utf8"),
    };
  }
  return cached;
}
