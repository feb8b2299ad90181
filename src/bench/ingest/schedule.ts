/**
 * The open model's executor (k6's constant-arrival-rate, wrk2's schedule): when each request is
 * due, as a pure function of the rate. Requests leave on this schedule whether or not earlier
 * ones have finished, and latency is counted from the due time, so a stall shows as every
 * request it delayed (no coordinated omission).
 */

/** How documents are sent: one per `PUT`-like request, or `bulk:<n>` per `_bulk_docs`. */
export type WriteMode = { kind: "single" } | { kind: "bulk"; docsPerRequest: number };

export function docsPerRequest(mode: WriteMode): number {
  return mode.kind === "single" ? 1 : mode.docsPerRequest;
}

/** `single` or `bulk:<n>` as the command line and results file write it. */
export function writeModeLabel(mode: WriteMode): string {
  return mode.kind === "single" ? "single" : `bulk:${mode.docsPerRequest}`;
}

/**
 * Due time of request `index` (0-based) in ms after the schedule's start, at `docsPerSec`
 * documents per second with `perRequest` documents per request: request i carries documents
 * [i·perRequest, (i+1)·perRequest) and is due when the last of them is, at the offered rate.
 */
export function dueMs(index: number, docsPerSec: number, perRequest: number): number {
  return (index * perRequest * 1000) / docsPerSec;
}

/** Requests due in [0, windowMs): the number the schedule offers in a window. */
export function requestsIn(windowMs: number, docsPerSec: number, perRequest: number): number {
  return Math.ceil((windowMs * docsPerSec) / (perRequest * 1000));
}

/**
 * The request indexes that mark a sentinel: the first request due at or after each multiple of
 * `intervalMs`, so sentinels are spread evenly in time whatever the rate.
 */
export function isSentinelRequest(index: number, docsPerSec: number, perRequest: number, intervalMs: number): boolean {
  if (index === 0) return true;
  const slot = Math.floor(dueMs(index, docsPerSec, perRequest) / intervalMs);
  return slot > Math.floor(dueMs(index - 1, docsPerSec, perRequest) / intervalMs);
}
