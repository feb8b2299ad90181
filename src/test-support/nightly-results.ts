import type { ResultsFile } from "../results/results-format.js";
import { fixtureResults } from "./results-fixture.js";

/** Nightly results files, one per night from 2025-11-27 at 03:17 UTC, typescript drifting slower by `drift` a night. */
export function nightlyResults(nights: number, drift = 0.05): ResultsFile[] {
  return Array.from({ length: nights }, (_, night) => ({
    ...fixtureResults({
      runId: `night-${night + 1}`,
      seed: night + 1,
      clean: true,
      slowdown: (p) => (p.server === "typescript" ? 1 + drift * night : 1),
    }),
    createdAt: new Date(Date.parse("2025-11-27T03:17:00Z") + night * 86_400_000).toISOString(),
  }));
}
