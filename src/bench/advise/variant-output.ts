import { createHash } from "node:crypto";
import type { CouchClient, ViewQuery } from "../../couch/couch-client.js";
import type { InstalledDesignDoc } from "../measure-build.js";
import type { ViewOutput } from "../view-output.js";
import { checkPicks, isPositionalBuiltIn } from "./positional-check.js";

/** A variant's output, and the problems of its `_first` / `_last` views checked against their definition. */
export interface VariantOutput extends ViewOutput {
  definitionProblems: string[];
}

interface Row {
  id: string;
  key: unknown;
  value?: unknown;
  doc?: unknown;
}

/**
 * The complete output of every view of a variant, in the shape view-output.ts compares: rows
 * (id, key and value — for an emit-null view the document `include_docs=true` returns, which
 * is what the original emitted as value) and, for each reduce, `reduce=true`, `group=true`
 * and every `group_level` up to the longest array key. Rows are compared as canonical JSON
 * (object keys sorted), so two query servers' serialisations of the same value agree, and in
 * sorted order: CouchDB orders rows by key and id, so equal sets of rows come in equal order
 * anyway, except when ids were renamed — `originalId` translates every string that is a
 * renamed id back (in ids, keys and values) before comparing. Rows are held in memory.
 * A `_first` / `_last` view's reduce answers are also checked against their definition (positional-check.ts).
 */
export async function readVariantOutput(
  client: CouchClient,
  db: string,
  installed: readonly InstalledDesignDoc[],
  emitNullViews: readonly string[],
  originalId: (id: string) => string | undefined = () => undefined,
  /** Views whose original key `k` is `[k]` here (a Mango index of `emit(doc.f, null)`): compared unwrapped. */
  unwrapKeyViews: readonly string[] = [],
): Promise<VariantOutput> {
  const translate = (value: unknown): unknown =>
    typeof value === "string"
      ? (originalId(value) ?? value)
      : Array.isArray(value)
        ? value.map(translate)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, translate(v)]))
          : value;
  const normalised = (rows: unknown[]) => rows.map((row) => canonicalJson(translate(row))).sort();
  const parts: Record<string, string> = {};
  const rowsByView: Record<string, number> = {};
  const reductions: Record<string, unknown> = {};
  const definitionProblems: string[] = [];
  const views = installed.flatMap(({ designDocId, template }) =>
    Object.entries(template.views).map(([view, source]) => ({
      designDocId,
      view,
      reduce: source.reduce,
      hasReduce: source.reduce !== undefined,
    })),
  );
  for (const { designDocId, view, reduce, hasReduce } of views.sort((a, b) => a.view.localeCompare(b.view))) {
    const withDocs = emitNullViews.includes(view);
    const keyOf = (key: unknown) =>
      unwrapKeyViews.includes(view) && Array.isArray(key) && key.length === 1 ? (key[0] as unknown) : key;
    const { rows } = await client.queryView<{ rows: Row[] }>(db, designDocId, view, {
      ...(hasReduce ? { reduce: false } : {}),
      ...(withDocs ? { include_docs: true } : {}),
    });
    const hash = createHash("sha256");
    for (const line of normalised(rows.map((row) => [row.id, keyOf(row.key), withDocs ? row.doc : row.value])))
      hash.update(line).update("\n");
    parts[view] = hash.digest("hex");
    rowsByView[view] = rows.length;
    if (!hasReduce) continue;
    const reduced = async (query: ViewQuery) =>
      (
        await client.queryView<{ rows: Array<{ key: unknown; value: unknown }> }>(db, designDocId, view, query)
      ).rows.map((row) => ({ ...row, key: keyOf(row.key) }));
    // Parsed back so the float tolerance of view-output.ts applies to the values.
    const comparable = (rows: unknown[]) => normalised(rows).map((line) => JSON.parse(line) as unknown);
    const check = (grouping: Parameters<typeof checkPicks>[3], answered: Array<{ key: unknown; value: unknown }>) => {
      const problem = isPositionalBuiltIn(reduce) ? checkPicks(view, reduce, rows, grouping, answered) : undefined;
      if (problem) definitionProblems.push(problem);
    };
    const total = await reduced({ reduce: true });
    reductions[view] = comparable(total);
    check("all", total);
    const grouped = await reduced({ group: true });
    reductions[`${view} group=true`] = comparable(grouped);
    check("exact", grouped);
    const deepest = Math.max(0, ...grouped.map((row) => (Array.isArray(row.key) ? row.key.length : 0)));
    for (let level = 1; level <= deepest; level++) {
      const leveled = await reduced({ group_level: level });
      reductions[`${view} group_level=${level}`] = comparable(leveled);
      check(level, leveled);
    }
  }
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return { digest, parts, rowsByView, reductions, definitionProblems };
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
