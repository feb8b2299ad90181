import v8 from "node:v8";
import vm from "node:vm";

/**
 * A sandbox dropped from a cache (or by `reset`) is a whole V8 context, and V8 collects
 * contexts late: with a bounded cache the heap still grew by 200 MB over 1,800 reduce sources
 * before a full collection ran. So after every RELEASES_PER_GC dropped sandboxes, a full GC
 * runs (as the reference runs one on every `reset`; here only processes that churn through
 * sources pay for it, a few milliseconds per collection).
 */
const RELEASES_PER_GC = 32;

let released = 0;
let collect: (() => void) | undefined;

export function sandboxesReleased(count = 1): void {
  const before = released;
  released += count;
  if (Math.floor(before / RELEASES_PER_GC) === Math.floor(released / RELEASES_PER_GC)) return;
  // --expose-gc set at run time installs `gc` on contexts created afterwards: one is made for it.
  if (!collect) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}
