import { readdirSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";

/**
 * Disk space of a database's view indexes on one node: everything in the `<db>.<suffix>_design`
 * directories of its shards (`<data>/.shards/<range>/`), `.compact.view` files of a running
 * compaction included. Allocated blocks, not file lengths: what the disk really gives up.
 * Synchronous for the same reason as process-cpu.ts: it runs every sampling interval of a build.
 * Undefined when the data directory cannot be read (it is not on this machine, or not ours to read).
 */
export function indexDiskBytes(dataDir: string, db: string): number | undefined {
  const shardsDir = join(dataDir, ".shards");
  let ranges: string[];
  try {
    ranges = readdirSync(shardsDir);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const range of ranges) {
    let entries: string[];
    try {
      entries = readdirSync(join(shardsDir, range));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.startsWith(`${db}.`) && entry.endsWith("_design")) total += treeBytes(join(shardsDir, range, entry));
    }
  }
  return total;
}

/** Allocated bytes of every file under `dir`; files that vanish mid-walk (a compaction's swap) count as 0. */
function treeBytes(dir: string): number {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path);
    else {
      try {
        total += statSync(path).blocks * 512;
      } catch {
        // removed since readdir
      }
    }
  }
  return total;
}
