import { scrubUrl } from "../url.js";
import type { CouchTarget, StartedCouch } from "./target.js";
import { waitForCouch } from "./wait-for-couch.js";

/** A CouchDB someone else runs: couchbench only uses it, and stops nothing. */
export class UrlTarget implements CouchTarget {
  readonly kind = "url" as const;
  readonly label: string;

  constructor(
    readonly id: string,
    private readonly url: string,
  ) {
    this.label = `running server ${scrubUrl(url)}`;
  }

  async start(): Promise<StartedCouch> {
    await waitForCouch(this.url, { timeoutMs: 10_000 });
    const nothingToStop = async () => {};
    return { url: this.url, facts: {}, logTail: async () => "", stop: nothingToStop, [Symbol.asyncDispose]: nothingToStop };
  }
}
