/**
 * Ranges and ticks of the charts' log axes. Run in the page: `pageScript` inlines these
 * functions' source, so each is self-contained (no imports, no module constants).
 *
 * uPlot's own log ticks are every integer multiple of a power of ten, counted from the scale's
 * minimum: too dense to label, and off round values when the minimum is not round.
 */

/**
 * A log range around [min, max]: 15% to spare on each side, and at least a factor 2 wide so a lone value has context.
 */
export function logRange(min: number, max: number): [number, number] {
  const middle = Math.sqrt(min * max);
  const half = Math.max(Math.sqrt(max / min) * 1.15, Math.SQRT2);
  return [middle / half, middle * half];
}

/**
 * Ticks of a log axis `length` px long: of powers of ten, 1-2-5 × 10^k and evenly spaced round
 * steps (1, 2 or 5 × 10^k apart, for ranges of about a decade or less), the candidate with the
 * most ticks at least `minGap` px apart whose labels (by `format`) all differ. `pinned` values
 * in range are always ticks; candidate ticks closer than `minGap` to one give way.
 */
export function logTicks(
  min: number,
  max: number,
  length: number,
  minGap: number,
  format: (v: number) => string,
  pinned: readonly number[],
): number[] {
  const pxPerDecade = length / Math.log10(max / min);
  const gap = (a: number, b: number) => Math.abs(Math.log10(b / a)) * pxPerDecade;
  const inRange = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const round = (v: number) => +v.toPrecision(12);
  /** mantissa × 10^k for every k from `from`'s magnitude to `max`'s. */
  const roundValues = (from: number, mantissas: number[]) => {
    const first = Math.floor(Math.log10(from));
    return Array.from({ length: Math.ceil(Math.log10(max)) - first + 1 }, (_, k) => 10 ** (first + k)).flatMap(
      (magnitude) => mantissas.map((m) => round(m * magnitude)),
    );
  };
  const evenly = (step: number) => {
    // The tolerance keeps ends that float division puts a hair outside.
    const first = Math.ceil(min / step - 1e-9);
    return Array.from({ length: Math.floor(max / step + 1e-9) - first + 1 }, (_, k) =>
      round((first + k) * step),
    ).filter(inRange);
  };
  // A step giving more than length / minGap ticks cannot fit: the smallest worth trying.
  const smallest = ((max - min) * minGap) / length;
  const candidates = [
    roundValues(min, [1]).filter(inRange),
    roundValues(min, [1, 2, 5]).filter(inRange),
    ...roundValues(smallest, [1, 2, 5])
      .filter((step) => step >= smallest)
      .map(evenly),
  ];
  const fits = (ticks: number[]) =>
    ticks.every((v, i) => i === 0 || gap(ticks[i - 1]!, v) >= minGap) &&
    new Set(ticks.map(format)).size === ticks.length;
  const best = candidates.filter(fits).reduce<number[]>((a, b) => (b.length > a.length ? b : a), []);
  const shown = pinned.filter(inRange);
  return [...best.filter((v) => shown.every((p) => gap(p, v) >= minGap)), ...shown].sort((a, b) => a - b);
}
