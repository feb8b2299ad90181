/** CouchDB statistics that describe query-server work, flattened: `couchdb.mrview.map_doc` → value. */
const RELEVANT_GROUPS = [
  ["couchdb", "query_server"],
  ["couchdb", "mrview"],
] as const;

export function relevantStats(stats: Record<string, unknown>): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const path of RELEVANT_GROUPS) {
    const group = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], stats);
    collect(group, path.join("."), flat);
  }
  return flat;
}

function collect(node: unknown, prefix: string, into: Record<string, number>): void {
  if (!node || typeof node !== "object") return;
  const value = (node as { value?: unknown }).value;
  if (typeof value === "number") {
    into[prefix] = value;
    return;
  }
  for (const [key, child] of Object.entries(node)) collect(child, `${prefix}.${key}`, into);
}

/** Counter increases between two snapshots; counters that did not move are left out. */
export function statsDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const change = value - (before[key] ?? 0);
    if (change !== 0) delta[key] = change;
  }
  return delta;
}
