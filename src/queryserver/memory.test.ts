import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerProcess } from "./test-support/server-process.js";

/** Growth allowed while thousands of sources pass through bounded caches (GC timing, fragmentation). */
const ALLOWED_GROWTH_MB = 64;

/** Sends every command first, then reads one reply per command (log lines skipped): fast over pipes. */
async function pipeline(server: ServerProcess, commands: unknown[]): Promise<string[]> {
  for (const command of commands) server.send(JSON.stringify(command));
  const replies: string[] = [];
  while (replies.length < commands.length) {
    const line = await server.readLine(10000);
    assert.ok(line !== null, `reply ${replies.length + 1} of ${commands.length} missing; stderr: ${server.stderr}`);
    if (!line.startsWith('["log",')) replies.push(line);
  }
  return replies;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * The caches of a long-lived process (PROTOCOL.md §1.2: CouchDB keeps query servers for many
 * requests and design documents): memory must stay flat however many distinct sources arrive.
 */
describe("memory stays bounded over pipes (dist/query-server.js)", () => {
  it("thousands of distinct reduce sources", async () => {
    const server = new ServerProcess();
    try {
      const reduce = (i: number) => [
        "reduce",
        [`function (keys, values) { return sum(values) + ${i}; }`],
        [[["k", "id"], 1]],
      ];
      assert.deepEqual(await pipeline(server, [["reset"], ...range(0, 100).map(reduce)]), [
        "true",
        ...range(0, 100).map((i) => `[true,[${1 + i}]]`),
      ]);
      const baseline = server.residentMegabytes();
      const replies = await pipeline(server, range(100, 1000).map(reduce));
      assert.equal(replies.at(-1), "[true,[1000]]");
      const growth = server.residentMegabytes() - baseline;
      assert.ok(growth < ALLOWED_GROWTH_MB, `RSS grew by ${growth.toFixed(0)} MB over 900 reduce sources`);
    } finally {
      server.kill();
    }
  });

  it("thousands of design documents, each called", async () => {
    const server = new ServerProcess();
    const req = { method: "GET", path: [], query: {}, headers: {} };
    const ddocCommands = (i: number) => [
      [
        "ddoc",
        "new",
        `_design/d${i}`,
        { _id: `_design/d${i}`, shows: { s: `function (doc, req) { return 'show ${i}'; }` } },
      ],
      ["ddoc", `_design/d${i}`, ["shows", "s"], [null, req]],
    ];
    try {
      await pipeline(server, range(0, 100).flatMap(ddocCommands));
      const baseline = server.residentMegabytes();
      const replies = await pipeline(server, range(100, 1000).flatMap(ddocCommands));
      assert.equal(replies.at(-1), '["resp",{"body":"show 999"}]');
      const growth = server.residentMegabytes() - baseline;
      assert.ok(growth < ALLOWED_GROWTH_MB, `RSS grew by ${growth.toFixed(0)} MB over 900 design documents`);
    } finally {
      server.kill();
    }
  });

  it("line buffers give their memory back after a huge document", async () => {
    const server = new ServerProcess();
    try {
      const size = 64 * 1024 * 1024;
      await pipeline(server, [
        ["add_fun", "function(doc) { emit(doc._id, doc.big.length); }"],
        ["map_doc", { _id: "small", big: "" }],
      ]);
      const baseline = server.residentMegabytes();
      server.send(`["map_doc",{"_id":"huge","big":"${"x".repeat(size)}"}]`);
      assert.equal(await server.readLine(30000), `[[["huge",${size}]]]`);
      // One at a time, as CouchDB sends them: the input buffer is drained after each.
      for (const i of range(0, 100))
        assert.deepEqual(await pipeline(server, [["map_doc", { _id: `d${i}`, big: "x".repeat(1000) }]]), [
          `[[["d${i}",1000]]]`,
        ]);
      // The kernel takes the freed pages back a moment after the collection: allow it a few seconds.
      let growth = server.residentMegabytes() - baseline;
      for (let wait = 0; growth >= ALLOWED_GROWTH_MB && wait < 20; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        growth = server.residentMegabytes() - baseline;
      }
      assert.ok(
        growth < ALLOWED_GROWTH_MB,
        `RSS stayed ${growth.toFixed(0)} MB above where it was before one 64 MiB document`,
      );
    } finally {
      server.kill();
    }
  });
});
