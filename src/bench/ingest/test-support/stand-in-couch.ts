/**
 * A stand-in for the CouchDB endpoints an ingest step uses, in the test's own process (so its
 * clock is the test's `performance.now()`): writes are accepted (or held during a stall), and a
 * sentinel becomes visible in the sentinel view exactly `visibleAfterMs` after its write was
 * accepted. Every other view is empty.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface StandInOptions {
  visibleAfterMs: number;
  /** Writes arriving in [from, to) (performance.now()) are answered at `to`. */
  stall?: { from: number; to: number };
}

export interface StandInCouch {
  url: string;
  /** Sentinel → when its write was accepted. */
  accepted: Map<number, number>;
  /** Document id of each single write → when it was accepted (after any stall). */
  acceptedById: Map<string, number>;
  writes: number;
  close(): Promise<void>;
}

export async function startStandInCouch(options: StandInOptions): Promise<StandInCouch> {
  const state = { accepted: new Map<number, number>(), acceptedById: new Map<string, number>(), writes: 0 };
  const server: Server = createServer((request, response) => {
    void handle(request, response, options, state).catch((error: unknown) =>
      reply(response, 500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://admin:secret@127.0.0.1:${port}`,
    accepted: state.accepted,
    acceptedById: state.acceptedById,
    get writes() {
      return state.writes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: StandInOptions,
  state: { accepted: Map<number, number>; acceptedById: Map<string, number>; writes: number },
): Promise<void> {
  const arrived = performance.now();
  const url = new URL(request.url ?? "/", "http://stand-in");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const body = await readBody(request);
  const isWrite =
    (request.method === "POST" && parts[1] === "_bulk_docs") ||
    (request.method === "PUT" && parts.length === 2 && !parts[1]!.startsWith("_design"));
  if (isWrite) {
    const { stall } = options;
    if (stall && arrived >= stall.from && arrived < stall.to) await sleep(stall.to - arrived);
    const docs =
      parts[1] === "_bulk_docs"
        ? (JSON.parse(body) as { docs: Array<Record<string, unknown>> }).docs
        : [JSON.parse(body) as Record<string, unknown>];
    const acceptedAt = performance.now();
    state.writes++;
    for (const doc of docs) {
      if (typeof doc.couchbench_sentinel === "number") state.accepted.set(doc.couchbench_sentinel, acceptedAt);
      state.acceptedById.set(String(doc._id), acceptedAt);
    }
    return parts[1] === "_bulk_docs"
      ? reply(
          response,
          201,
          docs.map((doc) => ({ ok: true, id: doc._id, rev: "1-a" })),
        )
      : reply(response, 201, { ok: true, id: parts[1], rev: "1-a" });
  }
  if (request.method === "GET" && parts.includes("_view")) {
    if (parts.at(-1) !== "couchbench_sentinel") return reply(response, 200, { total_rows: 0, offset: 0, rows: [] });
    const from = Number(url.searchParams.get("startkey") ?? "0");
    const now = performance.now();
    const rows = [...state.accepted]
      .filter(([seq, at]) => seq >= from && at + options.visibleAfterMs <= now)
      .sort(([a], [b]) => a - b)
      .map(([seq]) => ({ id: `s${seq}`, key: seq, value: null }));
    return reply(response, 200, { total_rows: rows.length, offset: 0, rows });
  }
  if (request.method === "PUT" || request.method === "DELETE")
    return reply(response, request.method === "PUT" ? 201 : 200, { ok: true });
  return reply(response, 404, { error: "not_found", reason: `${request.method} ${url.pathname}` });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
