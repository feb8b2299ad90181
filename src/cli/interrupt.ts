/**
 * Ctrl-C (SIGINT) and SIGTERM (what CI runners send on cancel) as one AbortSignal: the first
 * aborts the run, which then stops where it is and cleans up in order. A second one during that
 * clean-up exits at once; the targets' exit hooks still kill what they started.
 *
 * Installed once by a command, for the rest of the process: a first signal that comes after the
 * command's work (while it writes its reports, or between its end and the process exit) aborts
 * nothing and leaves the exit status the command's own; restoring Node's default there would let
 * that signal kill the process mid-report, with no exit status.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
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
  return { signal: controller.signal };
}
