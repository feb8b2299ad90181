import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WATCHDOG_FLAG } from "./server.js";
import { ServerProcess } from "./test-support/server-process.js";

/** Framing and robustness over real pipes, against the bundled server. */
async function withServer(run: (server: ServerProcess) => Promise<void>, args: string[] = []): Promise<void> {
  const server = new ServerProcess(args);
  try {
    await run(server);
  } finally {
    server.kill();
  }
}

async function exchange(server: ServerProcess, command: unknown): Promise<string | null> {
  server.send(typeof command === "string" ? command : JSON.stringify(command));
  return server.readLine();
}

describe("bad input over pipes (dist/query-server.js)", () => {
  it("EOF on stdin exits 0 promptly", async () => {
    await withServer(async (server) => {
      assert.equal(await exchange(server, ["reset"]), "true");
      server.closeInput();
      assert.equal(await server.waitForExit(2000), 0);
    });
  });

  it("a last line without newline is still answered", async () => {
    await withServer(async (server) => {
      server.write('["reset"]');
      server.closeInput();
      assert.equal(await server.readLine(), "true");
      assert.equal(await server.waitForExit(), 0);
    });
  });

  it("a malformed line gets an error reply and exit 255, no stack trace on stdout", async () => {
    await withServer(async (server) => {
      const reply = await exchange(server, '["map_doc", {"_id": ');
      assert.match(reply ?? "", /^\["error","query_protocol_error","invalid JSON line: /);
      assert.equal(await server.waitForExit(), 255);
      assert.equal(await server.readLine(100), null);
    });
  });

  it("unknown command: error reply, then exit 255", async () => {
    await withServer(async (server) => {
      assert.equal(await exchange(server, ["bogus", 1]), '["error","unknown_command","unknown command \'bogus\'"]');
      assert.equal(await server.waitForExit(), 255);
    });
  });

  it("a function that throws or returns the wrong type does not end the process", async () => {
    await withServer(async (server) => {
      await exchange(server, ["ddoc", "new", "_design/a", { shows: { n: "function() { return 42; }" } }]);
      assert.equal(
        await exchange(server, ["ddoc", "_design/a", ["shows", "n"], [null, { path: [] }]]),
        '["error","render_error","undefined response from show function"]',
      );
      assert.equal(
        await exchange(server, ["add_fun", "function(doc) { emit(doc._id, ; }"]).then((l) => JSON.parse(l ?? "[]")[1]),
        "compilation_error",
      );
      assert.equal(await exchange(server, ["reset"]), "true");
    });
  });

  it("lone surrogates are echoed as JSON escapes; invalid UTF-8 becomes U+FFFD", async () => {
    await withServer(async (server) => {
      await exchange(server, ["add_fun", "function(doc) { emit(doc.s, doc.s.length); }"]);
      assert.equal(await exchange(server, '["map_doc",{"_id":"a","s":"x\\ud800y"}]'), '[[["x\\ud800y",3]]]');
      server.write(
        Buffer.concat([Buffer.from('["map_doc",{"_id":"b","s":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('z"}]\n')]),
      );
      assert.equal(await server.readLine(), '[[["a\uFFFD\uFFFDz",4]]]');
    });
  });

  it("a 64 MiB document is mapped", async () => {
    await withServer(async (server) => {
      await exchange(server, ["add_fun", "function(doc) { emit(doc._id, doc.big.length); }"]);
      const size = 64 * 1024 * 1024;
      server.send(`["map_doc",{"_id":"huge","big":"${"x".repeat(size)}"}]`);
      assert.equal(await server.readLine(30000), `[[["huge",${size}]]]`);
    });
  });

  it("a deeply nested document is mapped; serialising a deep value is a fatal InternalError", async () => {
    await withServer(async (server) => {
      const depth = 100000;
      const doc = `{"_id":"deep","v":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      await exchange(server, ["add_fun", "function(doc) { emit(doc._id, 1); }"]);
      assert.equal(await exchange(server, `["map_doc",${doc}]`), '[[["deep",1]]]');
      // The whole document is passed through as the text CouchDB sent (no serialisation needed).
      await exchange(server, ["add_fun", "function(doc) { emit(doc._id, doc); }"]);
      assert.equal(await exchange(server, `["map_doc",${doc}]`), `[[["deep",1]],[["deep",${doc}]]]`);
      await exchange(server, ["add_fun", "function(doc) { emit(doc._id, doc.v); }"]);
      assert.match((await exchange(server, `["map_doc",${doc}]`)) ?? "", /^\["error","InternalError",/);
      assert.equal(await server.waitForExit(), 255);
    });
  });

  it("EOF in the middle of a list exits 0 without another line", async () => {
    await withServer(async (server) => {
      await exchange(server, [
        "ddoc",
        "new",
        "_design/a",
        { lists: { l: "function() { while (getRow()) send('r'); return 't'; }" } },
      ]);
      assert.equal(
        await exchange(server, ["ddoc", "_design/a", ["lists", "l"], [{}, { headers: {} }]]),
        '["start",[],{"headers":{}}]',
      );
      assert.equal(await exchange(server, ["list_row", { key: 1 }]), '["chunks",["r"]]');
      server.closeInput();
      assert.equal(await server.waitForExit(), 0);
      assert.equal(await server.readLine(100), null);
    });
  });

  it("a map function that emits without end is stopped at once by the emit limit: fatal InternalError, no timeout", async () => {
    await withServer(async (server) => {
      // A timeout far away (wall-clock time on a loaded machine): the limit, not the watchdog, must stop it.
      await exchange(server, ["reset", { reduce_limit: true, timeout: 60000 }]);
      // CouchDB's view_errors test; couchjs runs out of memory after 0.4 s.
      await exchange(server, ["add_fun", "function(doc) { while (true) emit(doc, doc); }"]);
      server.send(JSON.stringify(["map_doc", { _id: "loop", n: 1 }]));
      const reply = await server.readLine(20000);
      assert.match(
        reply ?? "no reply within 20 s",
        /^\["error","InternalError","map function emitted more than 64 MiB for one document with doc._id loop /,
      );
      assert.equal(await server.waitForExit(), 255);
    });
  });

  it("with --watchdog, an endless loop is cut off after the reset timeout: error reply, then the process dies", async () => {
    await withServer(
      async (server) => {
        await exchange(server, ["reset", { reduce_limit: true, timeout: 300 }]);
        await exchange(server, ["add_fun", "function(doc) { while (true) {} }"]);
        const started = Date.now();
        const reply = await exchange(server, ["map_doc", { _id: "a" }]);
        assert.match(
          reply ?? "",
          /^\["error","timeout","function did not return within the query server timeout of 300 ms"\]$/,
        );
        assert.notEqual(await server.waitForExit(), "timeout");
        assert.ok(Date.now() - started < 3000, "cut off well before CouchDB's own 5 s");
      },
      [WATCHDOG_FLAG],
    );
  });

  it("by default an endless loop is left to CouchDB's own timeout (which kills the process), and no watchdog thread runs", async () => {
    /** A server one second into an endless map function, under a reset timeout of `timeoutMs`. */
    const inEndlessLoop = async (args: string[], timeoutMs: number) => {
      let seen = { reply: null as string | null, running: false, threads: 0 };
      await withServer(async (server) => {
        await exchange(server, ["reset", { reduce_limit: true, timeout: timeoutMs }]);
        await exchange(server, ["add_fun", "function(doc) { while (true) {} }"]);
        server.send(JSON.stringify(["map_doc", { _id: "a" }]));
        const reply = await server.readLine(1000);
        seen = { reply, running: server.isRunning, threads: server.isRunning ? server.threadCount() : 0 };
      }, args);
      return seen;
    };
    const unguarded = await inEndlessLoop([], 200);
    assert.deepEqual(
      [unguarded.reply, unguarded.running],
      [null, true],
      "no reply and still running: the server does not cut itself off",
    );
    const guarded = await inEndlessLoop([WATCHDOG_FLAG], 60000);
    assert.ok(
      guarded.threads > unguarded.threads,
      `threads: ${unguarded.threads} by default, ${guarded.threads} with the watchdog`,
    );
  });

  it("an unknown argument is a one-line error on stderr and exit 64", async () => {
    await withServer(
      async (server) => {
        assert.equal(await server.waitForExit(), 64);
        assert.equal(
          server.stderr,
          "couchbench query server: unknown argument '--watchdgo'; the only option is --watchdog (see src/queryserver/README.md)\n",
        );
      },
      ["--watchdgo"],
    );
  });

  it("with --watchdog, a list waiting for rows longer than the timeout is not cut off", async () => {
    await withServer(
      async (server) => {
        await exchange(server, ["reset", { timeout: 200 }]);
        await exchange(server, [
          "ddoc",
          "new",
          "_design/a",
          { lists: { l: "function() { var r; while (r = getRow()) send(r.key); return 't'; }" } },
        ]);
        await exchange(server, ["ddoc", "_design/a", ["lists", "l"], [{}, { headers: {} }]]);
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.equal(await exchange(server, ["list_end"]), '["end",["t"]]');
      },
      [WATCHDOG_FLAG],
    );
  });
});
