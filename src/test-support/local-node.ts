import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** What a local target prints when it starts a node: the port is in group 1. */
export const LOCAL_NODE_STARTING = /starting \S+ on 127\.0\.0\.1:(\d+)/;

/** Whether a CouchDB node the local target started on `port` still runs (it may take a moment to die). */
export async function nodeRuns(port: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const running = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).includes(`-name couchbench-${port}@`);
    if (!running) return false;
    await sleep(250);
  }
  return true;
}
