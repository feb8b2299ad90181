import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { describe, it } from "node:test";
import type { LinePort } from "./line-port.js";
import { QueryServer } from "./query-server.js";
import { WATCHDOG_FLAG } from "./server.js";
import { untimed } from "./sandbox/watchdog.js";
import { bundlePath, ServerProcess } from "./test-support/server-process.js";

/** The bundle with stdout on `stdout`; resolves with the exit status and what it wrote to stderr. */
function runWithStdout(stdout: "pipe" | number, input: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bundlePath], { stdio: ["pipe", stdout, "pipe"] });
  if (stdout === "pipe") child.stdout?.destroy();
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin?.on("error", () => {});
  child.stdin?.end(input);
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stderr })));
}

/** Every line parses as JSON: nothing was written into the middle of another line. */
function assertWholeLines(lines: string[]): void {
  for (const [index, line] of lines.entries()) {
    assert.doesNotThrow(
      () => JSON.parse(line),
      `line ${index + 1} of ${lines.length} is not JSON: ${line.slice(0, 80)}…${line.slice(-80)}`,
    );
  }
}

describe("faults at the edges (dist/query-server.js over pipes)", () => {
  it("a closed stdout (EPIPE) is a clean exit: status 0, nothing on stderr", async () => {
    const { status, stderr } = await runWithStdout("pipe", '["reset"]\n["reset"]\n');
    assert.deepEqual({ status, stderr }, { status: 0, stderr: "" });
  });

  it("any other output failure is exit 255 with the reason on stderr, not a silent 0", async () => {
    const readOnly = openSync("/dev/null", "r");
    try {
      const { status, stderr } = await runWithStdout(readOnly, '["reset"]\n');
      assert.equal(status, 255);
      assert.match(stderr, /^couchbench query server: Error: EBADF/);
    } finally {
      closeSync(readOnly);
    }
  });

  it("with --watchdog, a reset without timeout goes back to CouchDB's default (5 s), not the last timeout sent", async () => {
    const server = new ServerProcess([WATCHDOG_FLAG]);
    try {
      for (const reset of [["reset", { timeout: 200 }], ["reset"]]) {
        server.send(JSON.stringify(reset));
        assert.equal(await server.readLine(), "true");
      }
      server.send(
        JSON.stringify([
          "add_fun",
          "function(doc) { var t = Date.now(); while (Date.now() - t < 800); emit(doc._id, 1); }",
        ]),
      );
      assert.equal(await server.readLine(), "true");
      server.send(JSON.stringify(["map_doc", { _id: "slow" }]));
      assert.equal(await server.readLine(), '[[["slow",1]]]');
    } finally {
      server.kill();
    }
  });

  it("the watchdog's timeout line never lands inside a line the server is writing", async () => {
    const server = new ServerProcess([WATCHDOG_FLAG]);
    try {
      server.send(JSON.stringify(["reset", { timeout: 300 }]));
      assert.equal(await server.readLine(), "true");
      server.send(
        JSON.stringify(["add_fun", "function(doc) { var s = new Array(1 << 20).join('x'); for (;;) log(s); }"]),
      );
      assert.equal(await server.readLine(), "true");
      server.send(JSON.stringify(["map_doc", { _id: "a" }]));
      assert.notEqual(await server.waitForExit(10000), "timeout");
      const lines: string[] = [];
      for (let line = await server.readLine(100); line !== null; line = await server.readLine(100)) lines.push(line);
      assertWholeLines(lines);
      assert.match((lines.at(-1) ?? "").slice(0, 100), /^\["error","timeout",/);
    } finally {
      server.kill();
    }
  });
});

describe("the dispatcher leaves stderr and exiting to the edge", () => {
  it("a failure that is not the command's own is answered, then thrown, and nothing goes to stderr", () => {
    const output: string[] = [];
    let failures = 1;
    const port: LinePort = {
      send(line) {
        if (failures-- > 0) throw new Error("disk on fire");
        output.push(line);
      },
      receive: () => null,
    };
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
    try {
      assert.throws(() => new QueryServer(untimed).handle('["reset"]', port), /disk on fire/);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(output, ['["error","query_server_error","disk on fire"]']);
    assert.deepEqual(written, []);
  });
});
