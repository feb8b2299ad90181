const QUOTE = 0x22;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;
const SLASH = 0x2f;
/** Integers with up to 15 digits survive a round trip through a double unchanged. */
const SAFE_DIGITS = 15;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/**
 * Number of object keys in `text` if JSON.stringify(JSON.parse(text)) is guaranteed to give
 * `text` back byte for byte — provided the parsed value has that many keys (fewer means
 * duplicate keys) — else -1. Rejected: whitespace outside strings, numbers with a fraction,
 * an exponent, more than 15 digits or `-0`, `\u` and `\/` escapes (JSON.stringify writes
 * those characters raw or as other escapes), and integer-like keys (JavaScript moves them to
 * the front). One pass; string bodies are skipped with indexOf.
 */
export function canonicalKeyCount(text: string): number {
  const n = text.length;
  let keys = 0;
  let nextBackslash = text.indexOf("\\");
  if (nextBackslash < 0) nextBackslash = n;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote < 0) return -1;
        if (nextBackslash < end) {
          nextBackslash = text.indexOf("\\", end);
          if (nextBackslash < 0) nextBackslash = n;
        }
        if (nextBackslash < quote) {
          const escaped = text.charCodeAt(nextBackslash + 1);
          if (escaped === LOWER_U || escaped === SLASH) return -1;
          end = nextBackslash + 2;
          continue;
        }
        end = quote;
        break;
      }
      if (text.charCodeAt(end + 1) === COLON) {
        keys++;
        if (isIndexLike(text, i + 1, end)) return -1;
      }
      i = end + 1;
    } else if (c === MINUS || isDigit(c)) {
      const start = c === MINUS ? i + 1 : i;
      let end = start;
      while (end < n && isDigit(text.charCodeAt(end))) end++;
      const next = text.charCodeAt(end);
      if (next === DOT || next === LOWER_E || next === UPPER_E || end - start > SAFE_DIGITS) return -1;
      if (c === MINUS && end - start === 1 && text.charCodeAt(start) === ZERO) return -1;
      i = end;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      return -1;
    } else {
      i++;
    }
  }
  return keys;
}

/** "0", "7", "123" (array-index-like member names are ordered first by JavaScript). */
function isIndexLike(text: string, start: number, end: number): boolean {
  if (start === end) return false;
  for (let k = start; k < end; k++) if (!isDigit(text.charCodeAt(k))) return false;
  return text.charCodeAt(start) !== ZERO || end - start === 1;
}
