import type { BodyGenerator } from "./profile.js";

/** `{"type": ...}` and nothing else: isolates per-document query-server overhead. */
export const typedGenerator: BodyGenerator = (random, profile) => ({
  type: random.weighted(profile.types),
});
