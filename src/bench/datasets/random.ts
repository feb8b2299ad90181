/**
 * A small, fast, seedable PRNG. Every document gets its own generator seeded from
 * (dataset seed, document index), so document i never depends on documents before it:
 * an incremental update or a resumed run regenerates exactly the same documents.
 */
import { mulberry32 } from "../../core/random.js";

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted(weights: Readonly<Record<string, number>>): string;
  hex(length: number): string;
}

export function randomFor(seed: number, index: number): Random {
  const next = mulberry32(mix(mix(seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)));
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (weights) => {
      const entries = Object.entries(weights);
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return entries[entries.length - 1]![0];
    },
    hex: (length) => {
      let out = "";
      while (out.length < length)
        out += Math.floor(next() * 4294967296)
          .toString(16)
          .padStart(8, "0");
      return out.slice(0, length);
    },
  };
}

function mix(value: number): number {
  // splitmix32 finaliser: spreads nearby seeds/indexes over the whole state space.
  let z = (value + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
