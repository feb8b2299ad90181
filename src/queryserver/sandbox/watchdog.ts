import { Worker } from "node:worker_threads";

/**
 * Marks the stretches of time spent in user code, so that an endless loop can be cut off.
 * `run` may nest (a module compiled while user code runs); `pause` excludes a blocking read
 * (getRow waiting for CouchDB) from the measured time.
 */
export interface TimeGuard {
  run<T>(fn: () => T): T;
  pause<T>(fn: () => T): T;
  setLimitMs(ms: number): void;
}

const ACTIVITY = 0;
const LIMIT = 1;
const SLEEP = 2;

/**
 * The watchdog thread: polls the shared activity counter; when the same user-code stretch
 * (odd counter value) lasts longer than the limit, it writes the error reply and kills the
 * process — CouchDB restarts query servers that die, and it would kill this one anyway once
 * its own os_process_timeout (the same value) expires.
 */
const watchdogThread = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const shared = new Int32Array(workerData);
let seen = -1, since = 0;
for (;;) {
  const limit = Atomics.load(shared, ${LIMIT});
  Atomics.wait(shared, ${SLEEP}, 0, Math.max(10, Math.min(250, limit / 10)));
  const value = Atomics.load(shared, ${ACTIVITY});
  if ((value & 1) === 0) { seen = -1; continue; }
  const now = Date.now();
  if (value !== seen) { seen = value; since = now; continue; }
  if (now - since >= limit) {
    const reason = "function did not return within the query server timeout of " + limit + " ms";
    try { writeSync(1, JSON.stringify(["error", "timeout", reason]) + "\\n"); } catch {}
    process.kill(process.pid, "SIGKILL");
  }
}`;

/**
 * The real TimeGuard: two shared-memory writes per user-code call, no thread per call. The
 * thread starts with the first user code, so answering `reset` does not wait for it.
 */
export function startWatchdog(limitMs: number): TimeGuard {
  const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  shared[LIMIT] = limitMs;
  let watching = false;
  let depth = 0;
  return {
    run(fn) {
      if (!watching) {
        watching = true;
        new Worker(watchdogThread, { eval: true, workerData: shared.buffer }).unref();
      }
      if (depth++ === 0) shared[ACTIVITY]++;
      try {
        return fn();
      } finally {
        if (--depth === 0) shared[ACTIVITY]++;
      }
    },
    pause(fn) {
      const saved = depth;
      if (saved > 0) shared[ACTIVITY]++;
      depth = 0;
      try {
        return fn();
      } finally {
        depth = saved;
        if (saved > 0) shared[ACTIVITY]++;
      }
    },
    setLimitMs(ms) {
      Atomics.store(shared, LIMIT, ms > 0 ? ms : 5000);
    },
  };
}
