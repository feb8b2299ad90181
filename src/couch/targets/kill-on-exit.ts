/**
 * What a target started must not outlive couchbench, even when a second Ctrl-C ends the process
 * without waiting for the orderly stop: each live resource registers a synchronous kill that runs
 * on `exit` (only synchronous code runs there), and unregisters it once stopped.
 */
export function killOnExit(kill: () => void): { release(): void } {
  const onExit = () => {
    try {
      kill();
    } catch {
      // already gone
    }
  };
  process.once("exit", onExit);
  return { release: () => process.off("exit", onExit) };
}
