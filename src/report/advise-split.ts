import type { AdvisedVariant } from "../results/advise-format.js";
import type { BuildTimeSplit } from "../results/build-time-split.js";

/** The time split of the variant's median build (the build a reader compares the others with). */
export function medianSplit(variant: AdvisedVariant): BuildTimeSplit | undefined {
  const builds = variant.builds.filter((build) => build.timeSplit).sort((a, b) => a.ms - b.ms);
  return builds[Math.floor((builds.length - 1) / 2)]?.timeSplit;
}
