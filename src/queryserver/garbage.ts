import v8 from "node:v8";
import vm from "node:vm";

/**
 * Full garbage collections at the few moments where V8 would leave a lot of memory unclaimed
 * for a long time: it collects dropped contexts and large objects late (with no allocation
 * pressure, not at all), so a process that just finished a huge document, or churned through
 * sources, would keep its peak resident size. The reference runs a GC on every `reset`; here
 * only those moments pay, a few milliseconds each.
 */
let collect: (() => void) | undefined;

export function collectGarbage(): void {
  // --expose-gc set at run time installs `gc` on contexts created afterwards: one is made for
  // it, and the flag is cleared at once, or every later sandbox would have a `gc` global too.
  if (!collect) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
    v8.setFlagsFromString("--no-expose-gc");
  }
  collect();
}

/**
 * A sandbox dropped from a cache (or by `reset`) is a whole V8 context: with a bounded cache
 * but no collection the heap still grew by 200 MB over 1,800 reduce sources. So every
 * RELEASES_PER_GC dropped sandboxes, a full GC runs.
 */
const RELEASES_PER_GC = 32;
let released = 0;

export function sandboxesReleased(count = 1): void {
  const before = released;
  released += count;
  if (Math.floor(before / RELEASES_PER_GC) !== Math.floor(released / RELEASES_PER_GC)) collectGarbage();
}
