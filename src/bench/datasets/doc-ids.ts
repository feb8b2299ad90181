/**
 * Document ids as a client or CouchDB would produce them. The id pattern decides how B-tree
 * inserts spread (a JS reduce runs once per touched node), so it moves build time as much as
 * the query server does. Every scheme is deterministic per seed and random-access by index.
 */
import { randomFor } from "./random.js";

export const ID_SCHEMES = ["sequential", "random", "uuidv7"] as const;
export type IdScheme = (typeof ID_SCHEMES)[number];

/** What a client that sends no `_id` gets from CouchDB: `[uuids] algorithm = sequential`. */
export const DEFAULT_ID_SCHEME: IdScheme = "sequential";

/** The id of document `index` (0-based). */
export type IdGenerator = (index: number) => string;

export function idGenerator(scheme: IdScheme, seed: number): IdGenerator {
  switch (scheme) {
    case "sequential":
      return sequentialIds(seed);
    case "random":
      return (index) => uuid4(seed, index);
    case "uuidv7":
      return uuidV7Ids(seed);
  }
}

// Seed salts: each scheme and each part draws from its own stream.
const RANDOM_SALT = 0x5eed1d;
const PREFIX_SALT = 0x5e9f1e;
const STEP_SALT = 0x5e957e;
const CLOCK_SALT = 0x7c10c7;

/** couch_uuids.erl `sequential`: the suffix wraps once it reaches 0xfff000, and a new prefix starts. */
const SUFFIX_WRAP = 0xfff000;
/** couch_uuids.erl `inc()`: `rand:uniform(16#ffd)`, a step of 1..4093. */
const MAX_STEP = 0xffd;
/** How often the generator remembers where it was, so a jump back costs at most this many steps. */
const CHECKPOINT_EVERY = 1024;

interface SequentialState {
  index: number;
  /** Which prefix (0, 1, ...) is in use: each is 13 random bytes as 26 hex digits. */
  prefixNumber: number;
  suffix: number;
}

/**
 * CouchDB's default algorithm: 26 random hex digits, then a 6-hex-digit counter that grows by a
 * random step of 1..4093 and starts a new random prefix once it passes 0xfff000 — ids sort in
 * insertion order within a prefix. The steps come from per-index streams; checkpoints make any
 * index cheap to reach while the loader asks for ids in order.
 */
function sequentialIds(seed: number): IdGenerator {
  const step = (index: number) => randomFor(seed ^ STEP_SALT, index).int(1, MAX_STEP);
  const prefix = (number: number) => randomFor(seed ^ PREFIX_SALT, number).hex(26);
  const checkpoints: SequentialState[] = [{ index: 0, prefixNumber: 0, suffix: step(0) }];
  let cursor = checkpoints[0]!;
  return (index) => {
    let state =
      cursor.index <= index
        ? cursor
        : checkpoints[Math.min(Math.floor(index / CHECKPOINT_EVERY), checkpoints.length - 1)]!;
    while (state.index < index) {
      const next = state.index + 1;
      state =
        state.suffix >= SUFFIX_WRAP
          ? { index: next, prefixNumber: state.prefixNumber + 1, suffix: step(next) }
          : { index: next, prefixNumber: state.prefixNumber, suffix: state.suffix + step(next) };
      if (next % CHECKPOINT_EVERY === 0 && checkpoints.length === next / CHECKPOINT_EVERY) checkpoints.push(state);
    }
    cursor = state;
    return prefix(state.prefixNumber) + state.suffix.toString(16).padStart(6, "0");
  };
}

/** RFC 9562 version 4, as 32 hex digits without dashes (how CouchDB writes every uuid). */
function uuid4(seed: number, index: number): string {
  const hex = randomFor(seed ^ RANDOM_SALT, index).hex(32);
  return withVersion(hex, 4);
}

/** Documents written per millisecond of the simulated clock: a busy writer, 4,000 documents a second. */
const DOCS_PER_MS = 4;
/** The simulated clock starts somewhere in 2026, at a point chosen by the seed (never the real clock). */
const CLOCK_START_MS = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * RFC 9562 version 7 as CouchDB ≥ 3.5.1's `uuid_v7` writes it: 48-bit Unix milliseconds, version
 * 7, 74 random bits, 32 hex digits. Time-ordered across milliseconds, random within one.
 */
function uuidV7Ids(seed: number): IdGenerator {
  const start = CLOCK_START_MS + randomFor(seed ^ CLOCK_SALT, 0).int(0, YEAR_MS - 1);
  return (index) => {
    const ms = start + Math.floor(index / DOCS_PER_MS);
    const random = randomFor(seed ^ CLOCK_SALT, index + 1).hex(20);
    return withVersion(ms.toString(16).padStart(12, "0") + random, 7);
  };
}

/** Sets the version nibble (position 12) and the RFC variant bits `10` (position 16). */
function withVersion(hex: string, version: number): string {
  const variant = (8 | (parseInt(hex[16]!, 16) & 3)).toString(16);
  return `${hex.slice(0, 12)}${version}${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`;
}

export function isIdScheme(value: string): value is IdScheme {
  return (ID_SCHEMES as readonly string[]).includes(value);
}
