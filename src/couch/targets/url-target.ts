import { scrubUrl } from "../url.js";
import { DEFAULT_START_TIMEOUT_MS, type CouchTarget, type StartedCouch } from "./target.js";
import { waitForCouch } from "./wait-for-couch.js";

/** A CouchDB someone else runs: couchbench only uses it, and stops nothing. */
export class UrlTarget implements CouchTarget {
  readonly kind = "url" as const;
  readonly label: string;

  constructor(
    readonly id: string,
    private readonly url: string,
    private readonly startTimeoutMs = DEFAULT_START_TIMEOUT_MS.url,
  ) {
    this.label = `running server at ${scrubUrl(url)}`;
  }

  async start(_onProgress: (message: string) => void, signal?: AbortSignal): Promise<StartedCouch> {
    await waitForCouch(this.url, { timeoutMs: this.startTimeoutMs, ...(signal ? { signal } : {}) });
    const nothingToStop = async () => {};
    return {
      url: this.url,
      facts: {},
      logTail: () => Promise.resolve(""),
      stop: nothingToStop,
      [Symbol.asyncDispose]: nothingToStop,
    };
  }
}
