import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shellQuote } from "../../couch/query-servers.js";
import { defaultServers } from "./default-servers.js";

describe("default servers", () => {
  it("quotes paths into one shell word", () => {
    assert.equal(shellQuote("/usr/bin/node"), "/usr/bin/node");
    assert.equal(shellQuote("/opt/my dir/it's.js"), `'/opt/my dir/it'\\''s.js'`);
  });

  it("always offers the noop floor, and ignores a COUCHJS that does not exist", async () => {
    const { servers } = await defaultServers({ PATH: "", COUCHJS: "/nonexistent/bin/couchjs" });
    assert.ok(servers.some((server) => server.name === "noop" && server.command.endsWith("noop-query-server.js")));
    assert.ok(!servers.some((server) => server.command.includes("/nonexistent/")));
  });
});
