import assert from "node:assert/strict";
import { test } from "node:test";
import { liveCouchBin, liveCouchUrl, SKIP_NO_BIN, SKIP_NO_URL } from "../test-support/live-couch.js";
import { CouchClient } from "./couch-client.js";
import { LocalTarget } from "./targets/local-target.js";
import { probeQueryServers, registrationHint } from "./probe.js";

const ghost = { name: "ghost", command: "node /nonexistent/ghost-server.js" };

test(
  "a function that does not compile is the design doc's fault, named by its view; a missing server keeps the registration hint",
  { skip: liveCouchUrl ? false : SKIP_NO_URL },
  async () => {
    const availability = await probeQueryServers(liveCouchUrl!, ["javascript", "typescript", "erlang", "ghost"], {
      custom: [ghost],
      probeView: (language) =>
        language === "erlang"
          ? { view: "by_total", map: "fun({Doc}) -> Emit(1, null end." }
          : { view: "by_total", map: "1 + 1" },
    });
    assert.deepEqual(availability.available, ["javascript", "typescript", "erlang"], "the servers are there");
    assert.deepEqual(
      availability.rejected.map(({ server, view }) => ({ server, view })),
      [
        { server: "javascript", view: "by_total" },
        { server: "typescript", view: "by_total" },
        { server: "erlang", view: "by_total" },
      ],
    );
    const [javascript, typescript, erlang] = availability.rejected.map(({ reason }) => reason);
    assert.match(javascript!, /^compilation_error: .*'by_total' view/);
    assert.match(typescript!, /^compilation_error: .*'by_total' view/);
    assert.match(erlang!, /erl_parse.*syntax error before/);
    assert.doesNotMatch(erlang!, /\n/, "one line");
    assert.deepEqual(availability.missing, [{ server: "ghost", reason: "unknown_query_language: ghost" }]);
    assert.match(
      registrationHint("ghost", [ghost]),
      /COUCHDB_QUERY_SERVER_GHOST="node \/nonexistent\/ghost-server.js"/,
    );
  },
);

test(
  "a working design doc function leaves every registered server available",
  { skip: liveCouchUrl ? false : SKIP_NO_URL },
  async () => {
    const availability = await probeQueryServers(liveCouchUrl!, ["javascript", "typescript"], {
      probeView: () => ({ view: "by_id", map: "function (doc) { emit(doc._id, null); }" }),
    });
    assert.deepEqual(availability, { available: ["javascript", "typescript"], missing: [], rejected: [] });
  },
);

test(
  "a registered server whose process cannot be spawned is the server's fault, with the registration hint",
  { skip: liveCouchBin ? false : SKIP_NO_BIN, timeout: 180_000 },
  async () => {
    await using couch = await new LocalTarget("local", liveCouchBin!, undefined, [ghost]).start(() => undefined);
    const availability = await probeQueryServers(couch.url, ["javascript", "ghost"], {
      custom: [ghost],
      probeView: () => ({ view: "by_id", map: "function (doc) { emit(doc._id, null); }" }),
    });
    assert.deepEqual(availability.available, ["javascript"]);
    assert.deepEqual(availability.rejected, []);
    assert.deepEqual(
      availability.missing.map(({ server }) => server),
      ["ghost"],
    );
  },
);

test(
  "interrupted mid-probe (Ctrl-C aborts its requests), the probe still deletes its database",
  { skip: liveCouchUrl ? false : SKIP_NO_URL },
  async () => {
    const client = new CouchClient(liveCouchUrl!);
    const probeDatabases = async () =>
      (await client.allDatabases()).filter((name) => name.startsWith("couchbench-probe-"));
    const before = await probeDatabases();
    const interrupt = new AbortController();
    // Whether it then rejects or reports the server missing, its database must be gone.
    await probeQueryServers(
      liveCouchUrl!,
      ["javascript"],
      {
        // Called once the probe database holds its document: the moment to interrupt.
        probeView: () => {
          interrupt.abort();
          return { view: "probe", map: "function (doc) { emit(doc._id, null); }" };
        },
      },
      interrupt.signal,
    ).catch(() => undefined);
    assert.deepEqual(await probeDatabases(), before);
  },
);
