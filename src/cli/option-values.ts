/**
 * The one parser for option values of every command: the same accepted forms and the same
 * one-line `UsageError` (`--flag: 'value' is not … — e.g. --flag example`) everywhere.
 *
 * Whole numbers are decimal digits, optionally grouped with `_` (`100_000`); `1e3`, `0x10`
 * and `2.0` are refused rather than guessed at.
 */
import { UsageError } from "../core/errors.js";

export interface WholeNumberRule {
  /** Smallest accepted value (default 1). */
  min?: number;
  /** Shown in the error, e.g. `10,100,1000` for `--sizes`. */
  example?: string;
}

export function wholeNumber(option: string, value: string, rule: WholeNumberRule = {}): number {
  const min = rule.min ?? 1;
  const parsed = /^\d+(_\d+)*$/.test(value.trim()) ? Number(value.trim().replace(/_/g, "")) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    const kind = min === 1 ? "a positive whole number" : min === 0 ? "a whole number ≥ 0" : `a whole number ≥ ${min}`;
    throw new UsageError(`${option}: '${value}' is not ${kind} — e.g. ${option} ${rule.example ?? Math.max(min, 3)}`);
  }
  return parsed;
}

/** Comma-separated items, blanks dropped; an empty list is an error. */
export function list(option: string, value: string): string[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option}: empty list — give comma-separated values`);
  return items;
}

export function wholeNumbers(option: string, value: string, rule: WholeNumberRule = {}): number[] {
  return list(option, value).map((item) => wholeNumber(option, item, rule));
}

export function positiveNumber(option: string, value: string): number {
  const parsed = /^\d+(\.\d+)?$|^\.\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${option}: '${value}' is not a positive number — e.g. ${option} 2`);
  return parsed;
}

/** `10%` → 0.1 and `0.1` → 0.1, with which form was used; undefined for anything else. */
export function parseFraction(text: string): { value: number; percent: boolean } | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!match) return undefined;
  const percent = match[2] === "%";
  return { value: Number(match[1]) / (percent ? 100 : 1), percent };
}

/** `10%` or `0.1` (at most 10, i.e. 1000%). */
export function fraction(option: string, value: string): number {
  const parsed = parseFraction(value)?.value;
  if (parsed === undefined || parsed > 10)
    throw new UsageError(`${option}: '${value}' is not a fraction — use e.g. 10% or 0.1 (0 turns it off)`);
  return parsed;
}

/** `4g`, `512m`, `2GiB`, or bytes. */
export function byteSize(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`${option}: '${value}' is not a size — use e.g. 4g or 512m`);
  const power = " kmgt".indexOf(match[2]!.toLowerCase() || " ");
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** Commander's collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
