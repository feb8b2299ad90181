/**
 * Sends requests on a schedule (schedule.ts) whether or not earlier ones have finished, and
 * records each one's latency from its due time (wrk2's rule): a server that stalls shows as
 * every request due during the stall, each as late as it really was. At most `maxInFlight`
 * requests are outstanding; beyond that the loop waits, and the wait counts in the latency.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface OpenLoopOptions {
  /** Due time of request `index`, ms after the loop started. */
  dueMs: (index: number) => number;
  /** Requests to send; undefined: until `stop` fires. */
  count?: number;
  /** Sends request `index`; rejects when it failed. */
  send: (index: number) => Promise<void>;
  maxInFlight: number;
  /** No request is sent after it fires; those in flight finish. */
  stop?: AbortSignal;
  /** Ctrl-C: nothing starts after it, and `run` rejects with its reason. */
  signal: AbortSignal;
  /** Each finished request: when it was due, sent and done (ms on `now`'s clock), and its failure. */
  onDone: (index: number, timing: RequestTiming, error?: unknown) => void;
  now?: () => number;
  /** The schedule's zero on `now`'s clock (default: when `run` is called). */
  startedAt?: number;
}

export interface RequestTiming {
  dueAt: number;
  sentAt: number;
  doneAt: number;
}

/** Resolves once every request sent has finished. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<void> {
  const now = options.now ?? (() => performance.now());
  const startedAt = options.startedAt ?? now();
  const inFlight = new Set<Promise<void>>();
  const stopped = () => options.stop?.aborted === true || options.signal.aborted;
  for (let index = 0; options.count === undefined || index < options.count; index++) {
    const dueAt = startedAt + options.dueMs(index);
    const wait = dueAt - now();
    if (wait > 0) await sleepUnless(wait, options.stop, options.signal);
    while (inFlight.size >= options.maxInFlight && !stopped()) await Promise.race(inFlight);
    if (stopped()) break;
    const sentAt = now();
    const request = options.send(index).then(
      () => options.onDone(index, { dueAt, sentAt, doneAt: now() }),
      (error: unknown) => options.onDone(index, { dueAt, sentAt, doneAt: now() }, error),
    );
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  options.signal.throwIfAborted();
}

/** Sleeps `ms`, waking early (without throwing) when either signal fires. */
async function sleepUnless(ms: number, ...signals: Array<AbortSignal | undefined>): Promise<void> {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  await sleep(ms, undefined, { signal: AbortSignal.any(present) }).catch(() => undefined);
}
