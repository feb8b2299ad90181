import { Worker } from "node:worker_threads";

/** CouchDB's default os_process_timeout, until `reset` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Marks the stretches of time spent in user code, so that an endless loop can be cut off.
 * `run` may nest (a module compiled while user code runs); `pause` excludes a blocking read
 * (getRow waiting for CouchDB) from the measured time. `exclusiveOutput` wraps every line the
 * main thread writes, so the watchdog's own line is never written into the middle of one.
 */
export interface TimeGuard {
  run<T>(fn: () => T): T;
  pause<T>(fn: () => T): T;
  setLimitMs(ms: number): void;
  exclusiveOutput(write: () => void): void;
}

// Cells of the shared Int32Array.
const ACTIVITY = 0;
const LIMIT = 1;
const SLEEP = 2;
const OUTPUT = 3;

// States of the OUTPUT cell: who may write to stdout.
const FREE = 0;
const MAIN = 1;
/** The main thread is writing and the watchdog waits to write its last line. */
const MAIN_THEN_WATCHDOG = 2;
/** The watchdog owns stdout until the process is killed; the main thread never writes again. */
const WATCHDOG = 3;

/**
 * The watchdog thread: polls the shared activity counter; when the same user-code stretch
 * (odd counter value) lasts longer than the limit on the monotonic clock, it takes stdout
 * from the main thread (waiting for a line in progress to end, at most one more limit: when
 * CouchDB is not reading, nothing can be written anyway), writes the error reply and kills the
 * process — CouchDB restarts query servers that die, and it would kill this one anyway once
 * its own os_process_timeout (the same value) expires.
 */
const watchdogThread = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const shared = new Int32Array(workerData);
function takeOutput(waitMs) {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const state = Atomics.compareExchange(shared, ${OUTPUT}, ${FREE}, ${WATCHDOG});
    if (state === ${FREE} || state === ${WATCHDOG}) return true;
    if (state === ${MAIN}) Atomics.compareExchange(shared, ${OUTPUT}, ${MAIN}, ${MAIN_THEN_WATCHDOG});
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(shared, ${OUTPUT}, ${MAIN_THEN_WATCHDOG}, left);
  }
}
let seen = -1, since = 0;
for (;;) {
  const limit = Atomics.load(shared, ${LIMIT});
  Atomics.wait(shared, ${SLEEP}, 0, Math.max(10, Math.min(250, limit / 10)));
  const value = Atomics.load(shared, ${ACTIVITY});
  if ((value & 1) === 0) { seen = -1; continue; }
  const now = performance.now();
  if (value !== seen) { seen = value; since = now; continue; }
  if (now - since >= limit) {
    const reason = "function did not return within the query server timeout of " + limit + " ms";
    if (takeOutput(limit)) {
      try { writeSync(1, JSON.stringify(["error", "timeout", reason]) + "\\n"); } catch {}
    }
    process.kill(process.pid, "SIGKILL");
  }
}`;

/**
 * No limit of its own: CouchDB enforces os_process_timeout itself and, when it expires, kills
 * the query server process (`kill -9`, couch_os_process's killer, every 3.x release), so a
 * server run by CouchDB needs no thread to stop an endless loop. The default.
 */
export const untimed: TimeGuard = {
  run: (fn) => fn(),
  pause: (fn) => fn(),
  setLimitMs: () => {},
  exclusiveOutput: (write) => write(),
};

/**
 * The opt-in TimeGuard (`--watchdog`), for hosts that do not kill a query server that timed out:
 * two shared-memory writes per user-code call, no thread per call. The thread is a Node worker,
 * a V8 isolate of its own (10 MB resident), which is why it is not the default. It starts with the
 * first user code, so answering `reset` does not wait for it.
 */
export function startWatchdog(): TimeGuard {
  const shared = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  shared[LIMIT] = DEFAULT_TIMEOUT_MS;
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
      Atomics.store(shared, LIMIT, ms);
    },
    exclusiveOutput(write) {
      for (;;) {
        const state = Atomics.compareExchange(shared, OUTPUT, FREE, MAIN);
        if (state === FREE) break;
        // Only the watchdog holds stdout (WATCHDOG): it writes its line, then kills this process.
        Atomics.wait(shared, OUTPUT, state);
      }
      try {
        write();
      } finally {
        if (Atomics.compareExchange(shared, OUTPUT, MAIN, FREE) !== MAIN) {
          Atomics.store(shared, OUTPUT, WATCHDOG);
          Atomics.notify(shared, OUTPUT);
        }
      }
    },
  };
}
