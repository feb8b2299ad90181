/**
 * A last resort for what a cluster target has started but not yet handed over: when
 * couchbench exits (Ctrl-C during a start-up ends the process), `process.on("exit")` runs
 * only synchronous code, so each guard kills or removes synchronously. Stopping a target the
 * ordinary way releases its guard first.
 */
const guards = new Set<() => void>();
let installed = false;

/** Runs `cleanup` if the process exits before the returned release function is called. */
export function guardUntilReleased(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const guard of guards) {
        try {
          guard();
        } catch {
          // exiting anyway: clean up what can be cleaned
        }
      }
    });
  }
  guards.add(cleanup);
  return () => guards.delete(cleanup);
}
