/**
 * Number formatting for every output: terminal, Markdown, CSV-free text and the HTML page.
 * Each function is self-contained (no imports, no calls to other module functions) because
 * the HTML report inlines their source into the page with `Function.prototype.toString`.
 */

/** `4.8 ms`, `812 ms`, `4.20 s`, `2.5 min`: two or three significant figures, unit chosen by size. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toPrecision(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${(ms / 60_000).toPrecision(3)} min`;
}

/** `950`, `12.3k`, `1.5M`: compact counts and rates. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${+(n / 1e3).toPrecision(3)}k`;
  return abs >= 10 ? n.toFixed(0) : `${+n.toPrecision(2)}`;
}

/** `1.23×`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** `+12.0%` / `-3.4%`: a ratio as a change. */
export function formatChange(ratio: number): string {
  const percent = (ratio - 1) * 100;
  return `${percent >= 0 ? "+" : ""}${percent.toFixed(1)}%`;
}

/** `15.6 GiB`: binary units, as memory is sold and limited. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
