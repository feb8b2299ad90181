import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../core/errors.js";
import { customServerEnvironment, parseServerCommand, queryServer, queryServerEnvVar } from "./query-servers.js";

test("name=command: the name is kept as given, the command trimmed, later = signs belong to the command", () => {
  assert.deepEqual(parseServerCommand("--query-server", "probe=node probe.js"), {
    name: "probe",
    command: "node probe.js",
  });
  assert.deepEqual(parseServerCommand("--server", "py_2= python3 -u qs.py --opt=1 "), {
    name: "py_2",
    command: "python3 -u qs.py --opt=1",
  });
});

test("a value that is not name=command, or a name CouchDB cannot register, is a usage error naming the flag", () => {
  assert.throws(
    () => parseServerCommand("--query-server", "node probe.js"),
    (error: Error) =>
      error instanceof UsageError &&
      /^--query-server node probe.js: expected name=command — e\.g\. --query-server typescript=/.test(error.message),
  );
  assert.throws(() => parseServerCommand("--server", "probe=  "), /--server probe=  : expected name=command/);
  for (const name of ["Probe", "my-server", "2fast", "a.b"]) {
    assert.throws(
      () => parseServerCommand("--query-server", `${name}=x`),
      /the name must be lower-case letters, digits and _ .*COUCHDB_QUERY_SERVER_<NAME>/,
      name,
    );
  }
});

test("a --query-server is found by name, with its language and variable; built-in servers are unchanged", () => {
  const custom = [{ name: "probe", command: "node probe.js" }];
  assert.deepEqual(queryServer("probe", custom), {
    name: "probe",
    language: "probe",
    description: "your server: node probe.js",
    envVar: "COUCHDB_QUERY_SERVER_PROBE",
    runsViews: true,
    command: "node probe.js",
  });
  assert.equal(queryServer("probe"), undefined);
  assert.equal(queryServer("typescript", custom)?.envVar, "COUCHDB_QUERY_SERVER_TYPESCRIPT");
  assert.equal(queryServer("erlang")?.ownSources, true, "erlang runs Erlang sources, not the JavaScript ones");
  assert.equal(queryServerEnvVar("py_2"), "COUCHDB_QUERY_SERVER_PY_2");
});

test("registrations: as given for Docker; locally, run in the directory couchbench started in, through CouchDB's `exec`", async () => {
  const servers = [{ name: "probe", command: "node probe.js" }];
  assert.deepEqual(customServerEnvironment(servers), { COUCHDB_QUERY_SERVER_PROBE: "node probe.js" });
  const dir = await mkdtemp(join(tmpdir(), "couchbench it's here-"));
  try {
    await writeFile(join(dir, "probe.js"), "process.stdout.write(process.cwd());");
    const registered = customServerEnvironment(servers, dir).COUCHDB_QUERY_SERVER_PROBE!;
    // CouchDB (Erlang's open_port spawn) runs `exec <command>` with /bin/sh, from its own root.
    const output = execFileSync("/bin/sh", ["-c", `exec ${registered}`], { cwd: "/", encoding: "utf8" });
    assert.equal(output, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
