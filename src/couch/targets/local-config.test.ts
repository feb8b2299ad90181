import assert from "node:assert/strict";
import { test } from "node:test";
import { renderLocalIni, renderVmArgs, type LocalInstanceSettings } from "./local-config.js";

const settings: LocalInstanceSettings = {
  nodeName: "couchbench-41000@127.0.0.1",
  cookie: "c00k1e",
  httpPort: 41000,
  backendPort: 41001,
  dataDir: "/tmp/x/data",
  logFile: "/tmp/x/couchdb.log",
  adminUser: "couchbench",
  adminPassword: "secret",
};

test("vm.args gets our own node name and cookie and keeps the release's other flags", () => {
  const release =
    "# comment\n-name couchdb@127.0.0.1\n-setcookie monster\n-kernel inet_dist_use_interface {127,0,0,1}\n+Bd -noinput\n";
  const rendered = renderVmArgs(release, settings);
  assert.match(rendered, /^-name couchbench-41000@127\.0\.0\.1\n-setcookie c00k1e\n/);
  assert.doesNotMatch(rendered, /couchdb@127\.0\.0\.1|monster/);
  assert.match(rendered, /-kernel inet_dist_use_interface \{127,0,0,1\}/);
  assert.match(rendered, /\+Bd -noinput/);
});

test("local.ini moves every per-instance path and port away from the release's defaults", () => {
  const ini = renderLocalIni(settings);
  for (const line of [
    "database_dir = /tmp/x/data",
    "view_index_dir = /tmp/x/data",
    "state_dir = /tmp/x/data",
    "port = 41000",
    "port = 41001",
    "bind_address = 127.0.0.1",
    "file = /tmp/x/couchdb.log",
    "couchbench = secret",
    "single_node = true",
    "enable_erlang_query_server = true",
  ]) {
    assert.ok(ini.includes(`${line}\n`), `missing "${line}"`);
  }
});
