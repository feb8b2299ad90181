import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveQueryServerChoice } from "./query-server-options.js";
import { resolveRunConfig } from "./run-options.js";

test("--query-server servers join the default servers, or are picked by name in --servers", () => {
  const probe = { name: "probe", command: "node probe.js" };
  assert.deepEqual(resolveQueryServerChoice({ queryServer: ["probe=node probe.js"] }, "local"), {
    servers: ["javascript", "quickjs", "typescript", "probe"],
    queryServers: [probe],
  });
  const config = resolveRunConfig({
    target: "local",
    couchdbBin: ["/x/bin/couchdb"],
    queryServer: ["probe=node probe.js"],
    servers: "javascript,probe,erlang",
  });
  assert.deepEqual(config.servers, ["javascript", "probe", "erlang"]);
  assert.deepEqual(config.queryServers, [probe]);
  assert.deepEqual(resolveQueryServerChoice({ servers: "erlang,noop" }, "url"), {
    servers: ["erlang", "noop"],
    queryServers: [],
  });
});

test("--docker-file is kept for the docker target, as an absolute path", () => {
  const config = resolveRunConfig({ queryServer: ["py=python3 /opt/qs/qs.py"], dockerFile: "my-image/Dockerfile" });
  assert.equal(config.targetKind, "docker");
  assert.equal(config.dockerFile, `${process.cwd()}/my-image/Dockerfile`);
});

test("names that collide, repeat or are unknown, and --docker-file off Docker, are usage errors with the fix", () => {
  const cases: Array<[Parameters<typeof resolveQueryServerChoice>[0], "docker" | "local" | "url", RegExp]> = [
    [
      { queryServer: ["typescript=node mine.js"] },
      "local",
      /^--query-server typescript: typescript is a built-in server — give yours another name, e\.g\. my_typescript$/,
    ],
    [{ queryServer: ["a=x", "a=y"] }, "local", /^--query-server a: given twice/],
    [{ queryServer: ["Mine=x"] }, "local", /^--query-server Mine=x: the name must be lower-case/],
    [
      { servers: "javascript,probe" },
      "url",
      /^--servers: unknown query server 'probe' — use any of javascript, quickjs, typescript, noop, erlang, mango, or register yours with --query-server probe=<command>$/,
    ],
    [{ dockerFile: "Dockerfile" }, "local", /^--docker-file extends the Docker image; it needs --target docker/],
  ];
  for (const [raw, target, message] of cases) {
    assert.throws(
      () => resolveQueryServerChoice(raw, target),
      (error: Error) => message.test(error.message),
      message.source,
    );
  }
});
