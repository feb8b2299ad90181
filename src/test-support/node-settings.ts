import { CouchClient, CouchHttpError } from "../couch/couch-client.js";

/**
 * Every node's value of each watched setting (`null`: not set), read through `_config`, keyed `<node> <section>/<key>`:
 * what a `--config` run must leave as it found it.
 */
export async function nodeSettings(
  url: string,
  watched: ReadonlyArray<readonly [section: string, key: string]>,
): Promise<Record<string, string | null>> {
  const client = new CouchClient(url);
  const values: Record<string, string | null> = {};
  for (const node of (await client.membership()).cluster_nodes)
    for (const [section, key] of watched)
      values[`${node} ${section}/${key}`] = await client.nodeConfig(node, section, key).catch((error: unknown) => {
        if (error instanceof CouchHttpError && error.statusCode === 404) return null;
        throw error;
      });
  return values;
}
