import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { test } from "node:test";
import { FailureError } from "../core/errors.js";
import { CouchClient } from "../couch/couch-client.js";
import type { Dataset } from "./datasets/index.js";
import { loadDocuments, waitUntilStored } from "./loader.js";

/** A loopback HTTP server standing in for `_bulk_docs`, answering as `respond` says. */
async function withBulkDocsServer(
  respond: (docs: Array<{ _id: string }>, request: number) => { status: number; delayMs?: number },
  run: (url: string) => Promise<void>,
): Promise<void> {
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const docs = (JSON.parse(body) as { docs: Array<{ _id: string }> }).docs;
      const { status, delayMs = 0 } = respond(docs, ++requests);
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(
          JSON.stringify(
            status >= 400
              ? { error: "unavailable", reason: "try later" }
              : docs.map((doc) => ({ id: doc._id, ok: true })),
          ),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    server.close();
  }
}

function countingDataset(): Dataset & { generated: number } {
  const dataset = {
    name: "t",
    description: "",
    generated: 0,
    docAt: (index: number) => (dataset.generated++, { _id: `d${index}`, n: index }),
  };
  return dataset;
}

test("batches are sent with bounded concurrency and generated only a little ahead of the requests", async () => {
  let active = 0;
  let maxActive = 0;
  const dataset = countingDataset();
  let generatedAheadMax = 0;
  let sentDocs = 0;
  await withBulkDocsServer(
    (docs) => {
      active++;
      maxActive = Math.max(maxActive, active);
      generatedAheadMax = Math.max(generatedAheadMax, dataset.generated - sentDocs);
      sentDocs += docs.length;
      setTimeout(() => active--, 20);
      return { status: 201, delayMs: 20 };
    },
    async (url) => {
      const load = await loadDocuments(new CouchClient(url), "db", dataset, 0, 1000, { batchSize: 10, concurrency: 3 });
      assert.equal(load.docCount, 1000);
      assert.equal(load.retries, 0);
    },
  );
  assert.equal(sentDocs, 1000);
  assert.ok(maxActive <= 3, `${maxActive} requests in flight`);
  assert.ok(generatedAheadMax <= 10 * (2 * 3 + 2), `${generatedAheadMax} documents generated ahead of the requests`);
});

test("a 5xx is retried with backoff; a failure that persists is thrown", async () => {
  await withBulkDocsServer(
    (_docs, request) => ({ status: request === 2 ? 503 : 201 }),
    async (url) => {
      const load = await loadDocuments(new CouchClient(url), "db", countingDataset(), 0, 30, {
        batchSize: 10,
        concurrency: 1,
      });
      assert.equal(load.retries, 1);
    },
  );
  await withBulkDocsServer(
    () => ({ status: 503 }),
    async (url) => {
      await assert.rejects(
        loadDocuments(new CouchClient(url), "db", countingDataset(), 0, 30, {
          batchSize: 10,
          concurrency: 2,
          maxAttempts: 2,
        }),
        /503/,
      );
    },
  );
});

test("an aborted load stops at once: no batch is retried or sent after the signal", async () => {
  const controller = new AbortController();
  let requestsAfterAbort = 0;
  await withBulkDocsServer(
    (_docs, request) => {
      if (controller.signal.aborted) requestsAfterAbort++;
      if (request === 2) controller.abort();
      return { status: 201, delayMs: 50 };
    },
    async (url) => {
      const loading = loadDocuments(new CouchClient(url, controller.signal), "db", countingDataset(), 0, 200, {
        batchSize: 10,
        concurrency: 2,
      });
      await assert.rejects(loading, { name: "AbortError" });
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
  );
  assert.equal(requestsAfterAbort, 0);
});

/** A loopback stand-in for `GET /db` whose doc_count follows `counts`, then stays at the last. */
async function withDatabaseInfo(
  counts: number[],
  run: (client: CouchClient, requests: () => number) => Promise<void>,
): Promise<void> {
  let requests = 0;
  const server = createServer((_req, res) => {
    const count = counts[Math.min(requests++, counts.length - 1)];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ db_name: "db", doc_count: count }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(new CouchClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`), () => requests);
  } finally {
    server.close();
  }
}

test("a cluster's count that lags behind _bulk_docs for a moment is waited for", async () => {
  await withDatabaseInfo([0, 150, 200], async (client, requests) => {
    await waitUntilStored(client, "db", 200);
    assert.equal(requests(), 3);
  });
});

test("a count that stays short is a failure naming both numbers, not a lost connection", async () => {
  await withDatabaseInfo([150], async (client) => {
    await assert.rejects(waitUntilStored(client, "db", 200, 300), (error: Error) => {
      assert.ok(error instanceof FailureError);
      assert.equal(error.message, "database db holds 150 documents after loading 200");
      return true;
    });
  });
  await withDatabaseInfo([250], async (client) => {
    await assert.rejects(waitUntilStored(client, "db", 200), /holds 250 documents after loading 200/);
  });
});
