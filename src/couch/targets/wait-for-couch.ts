import { setTimeout as sleep } from "node:timers/promises";
import { FailureError } from "../../core/errors.js";
import { CouchClient, describeNetworkError } from "../couch-client.js";
import { scrubUrl } from "../url.js";

export interface WaitOptions {
  timeoutMs: number;
  /** Explains a failure: the last lines of CouchDB's log, when the target has them. */
  logTail?: () => Promise<string>;
  /** Fails fast when the process we started has already died. */
  isDead?: () => string | undefined;
  /** Gives up at once (Ctrl-C), rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/** Polls `GET /_up` until CouchDB answers 200, or fails saying what it waited for and how long. */
export async function waitForCouch(url: string, options: WaitOptions): Promise<void> {
  // /_up needs no credentials; polling with wrong ones would trip CouchDB 3.4's account lockout.
  const client = new CouchClient(scrubUrl(url), options.signal);
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    const death = options.isDead?.();
    if (death)
      throw new FailureError(
        `CouchDB at ${client.displayUrl} exited during start-up (${death})${await tailSuffix(options)}`,
      );
    try {
      const status = await client.up();
      if (status.status === "ok") return;
      lastProblem = `/_up answered ${JSON.stringify(status)}`;
    } catch (error) {
      options.signal?.throwIfAborted();
      lastProblem = describeNetworkError(error);
    }
    await sleep(250, undefined, { signal: options.signal }).catch(() => options.signal!.throwIfAborted());
  }
  throw new FailureError(
    `CouchDB at ${client.displayUrl} did not answer GET /_up with status ok within ${options.timeoutMs / 1000} s (last: ${lastProblem})${await tailSuffix(options)}`,
  );
}

async function tailSuffix(options: WaitOptions): Promise<string> {
  const tail = (await options.logTail?.().catch(() => ""))?.trim();
  return tail ? `; last log lines:\n${tail}` : "";
}
