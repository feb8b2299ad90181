import { seconds } from "./duration-text.js";

/** How far the projected total may drift from the announced one before a correction is printed. */
const ESTIMATE_TOLERANCE = 0.25;
/**
 * The share of the plan (in its own estimates) that must be done before a correction is printed:
 * before it, the pace comes from a few of the smallest builds, whose fixed costs vary run to run.
 */
const MIN_DONE_SHARE = 0.2;

/**
 * A plan's estimated total as a long command runs: the work done so far is counted in the plan's
 * own estimates, so `elapsed / estimated done` is how fast this machine goes against the plan, and
 * the rest of the plan is scaled by it (large final points are not underestimated). Shared by the
 * progress of run, advise and ingest.
 */
export class EstimatedTotal {
  private doneMs = 0;
  /** The total the user was last told: the plan's estimate, then each correction printed. */
  private announcedMs: number;
  /** When the target now starting began to: the start of the work for the first, then its first message. */
  private startingSince: number | undefined;

  /** `startedAt`: when the work the total counts began (default now). */
  constructor(
    private totalMs: number,
    private readonly now: () => number = Date.now,
    private readonly startedAt: number = now(),
  ) {
    this.announcedMs = totalMs;
    this.startingSince = startedAt;
  }

  /** A target began to start (its first message); its start-up is timed from the first call. */
  targetStarting(): void {
    this.startingSince ??= this.now();
  }

  /** The target is up: its start-up, estimated at `estimatedMs`, counts for what it took (see took). */
  targetReady(estimatedMs: number): void {
    this.took(estimatedMs, this.now() - (this.startingSince ?? this.now()));
    this.startingSince = undefined;
  }

  /** A part of the plan finished that the plan expected to take `estimatedMs`. */
  done(estimatedMs: number): void {
    this.doneMs += estimatedMs;
  }

  /**
   * A part of the plan finished that says nothing of this machine's pace — a target's start-up,
   * seconds with Docker's images at hand, minutes when they are built first: the total takes its
   * actual duration in place of the estimate, and the pace of the builds is not scaled by it.
   */
  private took(estimatedMs: number, actualMs: number): void {
    this.totalMs += actualMs - estimatedMs;
    this.doneMs += actualMs;
  }

  /** The plan changed (a resumed run's kept work, search steps beyond the plan): its new estimated total. */
  replan(totalMs: number): void {
    this.totalMs = totalMs;
  }

  get estimatedMs(): number {
    return this.totalMs;
  }

  /** What is left of the plan, scaled by how fast the run has gone so far. */
  remainingMs(): number {
    const elapsed = this.now() - this.startedAt;
    const pace = this.doneMs > 0 ? elapsed / this.doneMs : 1;
    return Math.max(0, this.totalMs - this.doneMs) * pace;
  }

  /**
   * An estimate that turns out far off is said once, with the new total, rather than left to the
   * ETA column: a user deciding whether a plan fits a CI job reads the total. Said again only when
   * the projection moves another 25% from what was last said. Undefined while it holds, and until
   * a fifth of the plan is done.
   */
  correction(): string | undefined {
    if (this.doneMs < MIN_DONE_SHARE * this.totalMs) return undefined;
    const projectedMs = this.now() - this.startedAt + this.remainingMs();
    const ratio = projectedMs / this.announcedMs;
    if (Math.abs(ratio - 1) <= ESTIMATE_TOLERANCE) return undefined;
    const pace = ratio < 1 ? `${(1 / ratio).toFixed(1)}× faster` : `${ratio.toFixed(1)}× slower`;
    const line = `estimate corrected: about ${seconds(projectedMs)} in all, not ${seconds(this.announcedMs)} (this run goes ${pace} than that estimate)`;
    this.announcedMs = projectedMs;
    return line;
  }
}
