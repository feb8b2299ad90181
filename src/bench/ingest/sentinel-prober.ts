/**
 * View lag by sentinels. The writer marks one document about every `--sentinel-interval` with
 * `couchbench_sentinel: <seq>`; a small extra view in the design doc under test emits those
 * (sentinel-view.ts). This prober polls that view with `update=false` — a stale read never
 * triggers indexing, so measuring adds no index work — and notes when each sentinel is first seen.
 *
 * Lag = first seen − write acknowledged. "First seen" is when the poll that found it returned:
 * an upper bound, at most one poll interval plus one poll's duration late. That gap (from the
 * previous poll's send to this poll's return) is recorded per sentinel as the resolution.
 * It works on clusters and q > 1 alike: a view group's views are updated together, so the
 * sentinel view is exactly as fresh as the views under test, and a clustered query merges
 * every shard.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface Sighting {
  seenAt: number;
  /** Previous poll's send → this poll's return: how far `seenAt` may be from the truth. */
  resolutionMs: number;
}

export class SentinelProber {
  private readonly seen = new Map<number, Sighting>();
  private lowestUnseen = 1;
  private lastSentAt: number | undefined;

  constructor(
    /** Sentinel numbers visible in the view from `from` upwards (a stale read). */
    private readonly visibleFrom: (from: number) => Promise<number[]>,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  sighting(seq: number): Sighting | undefined {
    return this.seen.get(seq);
  }

  /** True once every sentinel 1..`count` was seen. */
  allSeen(count: number): boolean {
    return this.lowestUnseen > count;
  }

  /** Polls until `stop` fires; a failed poll is retried at the next tick (it only costs resolution). */
  async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const tickStart = this.now();
      await this.pollOnce().catch(() => undefined);
      const wait = this.intervalMs - (this.now() - tickStart);
      if (wait > 0) await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  async pollOnce(): Promise<void> {
    const sentAt = this.now();
    const visible = await this.visibleFrom(this.lowestUnseen);
    const doneAt = this.now();
    const since = this.lastSentAt ?? sentAt;
    for (const seq of visible) {
      if (!this.seen.has(seq)) this.seen.set(seq, { seenAt: doneAt, resolutionMs: doneAt - since });
    }
    while (this.seen.has(this.lowestUnseen)) this.lowestUnseen++;
    this.lastSentAt = sentAt;
  }
}
