/**
 * Latencies in an HdrHistogram (hdr-histogram-js, what autocannon uses): constant memory at any
 * rate, percentiles to 3 significant digits, and histograms that merge (steps, readers) and
 * travel in the results file as compressed base64.
 */
import * as hdr from "hdr-histogram-js";
import type { Latencies } from "../../results/ingest-format.js";

/** Values are recorded in microseconds: sub-millisecond writes keep their resolution. */
const MICROS_PER_MS = 1000;

/** What a histogram's summary holds: the results file's `Latencies`. */
export type LatencySummary = Latencies;

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });

  /** Negative values (a sentinel seen before its write was acknowledged) count as 0. */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(ms * MICROS_PER_MS)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  percentileMs(p: number): number {
    return this.histogram.getValueAtPercentile(p) / MICROS_PER_MS;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    return {
      count: h.totalCount,
      p50Ms: this.percentileMs(50),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      maxMs: h.maxValue / MICROS_PER_MS,
      meanMs: h.totalCount > 0 ? h.mean / MICROS_PER_MS : 0,
      histogram: hdr.encodeIntoCompressedBase64(h),
    };
  }

  /** A histogram read back from a summary's `histogram`. */
  static decode(base64: string): LatencyHistogram {
    const decoded = new LatencyHistogram();
    decoded.histogram.add(hdr.decodeFromCompressedBase64(base64, 32, false));
    return decoded;
  }
}
