/**
 * The check of a `_first` / `_last` rewrite. Its JavaScript original picked a value by position,
 * so its results depended on the order CouchDB passed values and cannot be the reference.
 * Instead the built-in's answers are checked against its definition (CouchDB 3.5.2,
 * couch_query_servers:builtin_first_last): the value of the row with the smallest (`_first`) or
 * largest (`_last`) key and document id — the first or last row CouchDB returns with
 * `reduce=false`, in the order it returns them — of every group, computed here from the rows,
 * which are checked against the original's like every view's.
 */
import { approximatelyEqual } from "../view-output.js";

export interface ViewRow {
  key: unknown;
  value?: unknown;
}

/** `reduce=true` (the whole view), `group=true` (each distinct key) or a `group_level`. */
export type Grouping = "all" | "exact" | number;

export function isPositionalBuiltIn(reduce: string | undefined): reduce is "_first" | "_last" {
  return reduce === "_first" || reduce === "_last";
}

/**
 * The rows `builtIn` must give for `grouping`, from the view's rows in CouchDB's order. Groups
 * are runs of rows whose (prefix of the) key has the same JSON: keys CouchDB's collation takes
 * as equal but that are written differently (1 and 1.0) would make a mismatch, never a false match.
 */
export function expectedPicks(rows: readonly ViewRow[], builtIn: "_first" | "_last", grouping: Grouping): ViewRow[] {
  if (rows.length === 0) return [];
  const chosen = (group: readonly ViewRow[]) => (builtIn === "_first" ? group[0]! : group[group.length - 1]!);
  if (grouping === "all") return [{ key: null, value: chosen(rows).value }];
  const groupKey = (key: unknown) =>
    grouping === "exact" || !Array.isArray(key) ? key : (key as unknown[]).slice(0, grouping);
  const groups: ViewRow[][] = [];
  let previous: string | undefined;
  for (const row of rows) {
    const key = JSON.stringify(groupKey(row.key));
    if (key !== previous) groups.push([]);
    groups[groups.length - 1]!.push(row);
    previous = key;
  }
  return groups.map((group) => ({ key: groupKey(group[0]!.key), value: chosen(group).value }));
}

/** One line when CouchDB's reduce rows are not what the definition gives, else undefined. */
export function checkPicks(
  view: string,
  builtIn: "_first" | "_last",
  rows: readonly ViewRow[],
  grouping: Grouping,
  answered: readonly ViewRow[],
): string | undefined {
  const expected = expectedPicks(rows, builtIn, grouping);
  const plain = (list: readonly ViewRow[]) => list.map(({ key, value }) => ({ key, value }));
  if (approximatelyEqual(plain(answered), expected)) return undefined;
  const label = grouping === "all" ? "" : grouping === "exact" ? " group=true" : ` group_level=${grouping}`;
  return `${view}${label}: ${builtIn} gave ${JSON.stringify(plain(answered)).slice(0, 200)}, its definition on the rows gives ${JSON.stringify(expected).slice(0, 200)}`;
}
