/**
 * Colours and dashes of chart series: hue by query server (so a server reads the same in
 * every chart), lightness by CouchDB version, dash by q. Stable across reports of one setup.
 */

export interface SeriesStyle {
  color: string;
  dash: number[];
}

/** couchjs orange, QuickJS green, TypeScript blue; other servers get the leftover hues. */
const SERVER_HUES: Record<string, number> = { javascript: 24, quickjs: 155, typescript: 212 };
const SPARE_HUES = [280, 340, 50, 185, 0];
const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

export function seriesStyle(
  server: string,
  versionIndex: number,
  qIndex: number,
  allServers: readonly string[],
): SeriesStyle {
  const known = SERVER_HUES[server];
  const others = allServers.filter((s) => !(s in SERVER_HUES));
  const hue = known ?? SPARE_HUES[others.indexOf(server) % SPARE_HUES.length]!;
  const lightness = 36 + (versionIndex % 3) * 14;
  return {
    color: `hsl(${hue}, 70%, ${lightness}%)`,
    dash: DASHES[qIndex % DASHES.length]!,
  };
}
