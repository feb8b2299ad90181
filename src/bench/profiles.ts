/**
 * Named sets of defaults for `couchbench run --profile`. Explicit options override them.
 * Sizes above a dataset's `maxSize` are skipped for that dataset (large documents make
 * 100,000-document databases of 9 GB).
 */
export interface RunProfile {
  name: string;
  description: string;
  datasets: string[];
  sizes: number[];
  maxSizeByDataset: Record<string, number>;
  shards: number[];
  /** `auto`: repeat each point until its interval is narrow enough (see repeat-policy.ts). */
  repeat: number | "auto";
}

export const RUN_PROFILES: Record<string, RunProfile> = {
  quick: {
    name: "quick",
    description: "about 3 minutes on 2 cores: medium docs up to 10,000, large up to 1,000, q=1, 3 repeats",
    datasets: ["medium", "large"],
    sizes: [10, 100, 1000, 10000],
    maxSizeByDataset: { large: 1000 },
    shards: [1],
    repeat: 3,
  },
  classic: {
    name: "classic",
    description: "the original sweep: small, medium and large docs, 10 → 100,000 (large up to 10,000), q 1 and 2",
    datasets: ["small", "medium", "large"],
    sizes: [10, 100, 1000, 10000, 100000],
    maxSizeByDataset: { large: 10000 },
    shards: [1, 2],
    repeat: 1,
  },
  ci: {
    name: "ci",
    description:
      "the scheduled CI perf job: at most 150 builds, estimated at 8 min with CouchDB 3.5.2 in Docker on 2 cores; repeats until the interval of each server ÷ couchjs is within ±2.5% (3–10 repeats; at least 6 where builds take 1 s or more, and so are gated)",
    datasets: ["small", "medium", "large"],
    sizes: [1000, 5000],
    maxSizeByDataset: { large: 1000 },
    shards: [1],
    repeat: "auto",
  },
};

export const DEFAULT_PROFILE = "quick";
