/**
 * A database of varied, real-looking documents to sample from: unicode text, nested arrays
 * and objects, numbers, documents from a few hundred bytes to tens of kilobytes, some with
 * attachments, some deleted, one without a type, and a design doc — everything a
 * `--dataset couchdb:` sample must handle.
 */
import { CouchClient } from "../couch/couch-client.js";
import { mulberry32 } from "../core/random.js";

export interface SourceDatabase {
  name: string;
  /** Live, non-design documents, as written (with `_attachments` where they have some). */
  live: Array<Record<string, unknown> & { _id: string }>;
  deletedIds: string[];
}

const NAMES = [
  "Zoë Ångström",
  "渡辺 健",
  "Björk Guðmundsdóttir",
  "Ⅻ Łukasz Żółć",
  "O'Brien-Smith",
  "Nguyễn Thị Minh Khai",
  "Ünïcödé 🚀",
];
const WORDS = [
  "café",
  "naïve",
  "straße",
  "façade",
  "résumé",
  "Ω-meter",
  "東京",
  "🎉 launch",
  "smörgåsbord",
  "coöperate",
  "über",
  "jalapeño",
];
const TYPES = ["order", "customer", "event", "note"];

export async function createSourceDatabase(url: string, name: string, count = 120): Promise<SourceDatabase> {
  const client = new CouchClient(url);
  await client.deleteDatabase(name);
  await client.createDatabase(name, 1);
  const random = mulberry32(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const docs = Array.from({ length: count }, (_, i) => {
    const lines = Array.from({ length: 1 + Math.floor(random() ** 3 * 40) }, () => ({
      sku: `SKU-${Math.floor(random() * 1e6)}`,
      qty: 1 + Math.floor(random() * 9),
      price: Math.round(random() * 100_000) / 100,
      tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(WORDS)),
      options: [[pick(WORDS), random() > 0.5], [Math.floor(random() * 10)]],
    }));
    const doc: Record<string, unknown> & { _id: string } = {
      _id: `${pick(TYPES)}:${String(i).padStart(4, "0")}`,
      ...(i % 17 === 5 ? {} : { type: pick(TYPES) }),
      customer: {
        name: pick(NAMES),
        address: {
          city: pick(["Zürich", "São Paulo", "Kraków", "北京", "Reykjavík"]),
          lines: [pick(WORDS), pick(WORDS)],
        },
      },
      lines,
      note: Array.from({ length: Math.floor(random() ** 4 * 2000) }, () => pick(WORDS)).join(" "),
      created: new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 3e10)).toISOString(),
      flags: { paid: random() > 0.3, rush: random() > 0.8, comment: null },
    };
    if (i % 9 === 2)
      doc._attachments = {
        "receipt.txt": {
          content_type: "text/plain",
          data: Buffer.from(`receipt ${i} — ${pick(NAMES)}`).toString("base64"),
        },
      };
    return doc;
  });
  const design = {
    _id: "_design/app",
    views: { byCity: { map: "function (doc) { if (doc.customer) emit(doc.customer.address.city, 1); }" } },
  };
  const revs = new Map((await bulk(client, name, [...docs, design])).map((result) => [result.id, result.rev!]));
  const deletedIds = docs.filter((_, i) => i % 11 === 7).map((doc) => doc._id);
  await bulk(
    client,
    name,
    deletedIds.map((id) => ({ _id: id, _rev: revs.get(id), _deleted: true })),
  );
  return { name, live: docs.filter((doc) => !deletedIds.includes(doc._id)), deletedIds };
}

async function bulk(client: CouchClient, db: string, docs: object[]): Promise<Array<{ id: string; rev?: string }>> {
  const results = await client.bulkDocs(db, JSON.stringify({ docs }));
  const failed = results.filter((result) => result.error);
  if (failed.length > 0) throw new Error(`writing the source database: ${failed[0]!.id}: ${failed[0]!.error}`);
  return results;
}
