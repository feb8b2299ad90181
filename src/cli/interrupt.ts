/**
 * Ctrl-C (SIGINT) and SIGTERM (what CI runners send on cancel) as one AbortSignal: the first
 * aborts the run, which then stops where it is and cleans up in order. A second one during that
 * clean-up exits at once; the targets' exit hooks still kill what they started.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
/** 128 + SIGINT's number, what shells report for a run ended by Ctrl-C. */
export const INTERRUPTED_EXIT_CODE = 130;

export function onInterrupt(onFirst: (signal: NodeJS.Signals) => void): Interrupt {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      onFirst(signal);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    process.stderr.write(`\n${signal} again: exiting now\n`);
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  for (const name of SIGNALS) process.on(name, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of SIGNALS) process.off(name, handler);
    },
  };
}
