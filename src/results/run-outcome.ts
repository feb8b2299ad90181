import type { Measurement } from "./results-format.js";

/**
 * Why a run measured nothing — every build skipped or failed — for the summary's first line and the exit status;
 * undefined when some build completed (or nothing was recorded yet).
 */
export function noBuildReason(measurements: readonly Measurement[]): string | undefined {
  if (measurements.length === 0 || measurements.some((m) => m.status === "completed")) return undefined;
  if (measurements.every((m) => m.status === "skipped"))
    return "no build ran: every build was skipped (see the warnings)";
  if (measurements.every((m) => m.status === "errored")) return "no build ran: every build failed (see the errors)";
  return "no build ran: every build was skipped or failed (see the warnings and errors)";
}
