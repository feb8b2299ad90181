import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { describe, it } from "node:test";
import { mismatch, type MatchContext } from "./test-support/reply-matcher.js";
import { isLogLine, ServerProcess } from "./test-support/server-process.js";
import { loadProcessFiles, sentStrings, type ProcessFile } from "./test-support/transcripts.js";

/** CouchDB waits os_process_timeout (5 s) per line; replies here are expected much faster. */
const LINE_TIMEOUT_MS = 5000;

/**
 * Replays every process file of fixtures/transcripts (real CouchDB traffic) through the bundled server over pipes
 * (README "Replaying a process file"), one test per file.
 */
describe("transcript replay (dist/query-server.js)", { concurrency: Math.max(2, availableParallelism()) }, () => {
  for (const file of loadProcessFiles()) {
    it(file.name, async () => {
      const server = new ServerProcess();
      try {
        await replay(file, server);
      } finally {
        server.kill();
      }
    });
  }
});

async function replay(file: ProcessFile, server: ServerProcess): Promise<void> {
  const context: MatchContext = { version: file.version, sources: sentStrings(file.exchanges) };
  for (const [index, exchange] of file.exchanges.entries()) {
    const where = `${file.name} request #${index + 1} ${exchange.send.slice(0, 160)}`;
    if (!server.isRunning) {
      assert.ok(exchange.noreply, `${where}\n  the server exited, but the reference answered this request`);
      return;
    }
    server.send(exchange.send);
    if (exchange.noreply) {
      // The reference had exited (or crashed on this line, E5): an error reply then exit is fine too.
      const line = await server.readLine(LINE_TIMEOUT_MS);
      if (line !== null) assert.match(line, /^\["error",/, `${where}\n  expected exit, got ${line}`);
      const status = await server.waitForExit(LINE_TIMEOUT_MS);
      assert.notEqual(status, "timeout", `${where}\n  the reference exited here; the server kept running`);
      return;
    }
    const actual: string[] = [];
    for (;;) {
      const line = await server.readLine(LINE_TIMEOUT_MS);
      assert.ok(
        line !== null,
        `${where}\n  no reply within ${LINE_TIMEOUT_MS} ms (got ${JSON.stringify(actual)})\n  stderr: ${server.stderr}`,
      );
      actual.push(line);
      if (!isLogLine(line)) break;
    }
    assert.equal(
      actual.length,
      exchange.recv.length,
      `${where}\n  expected lines:\n    ${exchange.recv.join("\n    ")}\n  actual lines:\n    ${actual.join("\n    ")}`,
    );
    exchange.recv.forEach((expected, i) => {
      const problem = mismatch(expected, actual[i], context);
      assert.equal(
        problem,
        undefined,
        `${where}\n  line ${i + 1}: ${problem}\n  expected: ${expected}\n  actual:   ${actual[i]}`,
      );
    });
  }
  server.closeInput();
  const status = await server.waitForExit(LINE_TIMEOUT_MS);
  if (server.isRunning || status !== "timeout") {
    // After a fatal reply at the very end the server is already gone (status 255); otherwise EOF → 0.
    assert.ok(status === 0 || status === 255, `${file.name}: exit status ${String(status)} after end of input`);
  }
}
