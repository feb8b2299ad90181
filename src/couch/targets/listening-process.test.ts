import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PROC_NET_FIXTURES } from "../../test-support/proc-fixtures.js";
import {
  couchVmOwner,
  findCouchVm,
  listenerInodes,
  localAddresses,
  parseListeningSockets,
  socketInode,
} from "./listening-process.js";

const tcp = readFileSync(join(PROC_NET_FIXTURES, "tcp"), "utf8");
const tcp6 = readFileSync(join(PROC_NET_FIXTURES, "tcp6"), "utf8");

describe("the process listening on a url target's port", () => {
  it("parses the listening sockets of /proc/net/tcp, not the connections", () => {
    const sockets = parseListeningSockets(tcp);
    assert.deepEqual(
      sockets.filter((s) => [5984, 15984, 4369].includes(s.port)),
      [
        { address: "127.0.0.1", port: 5984, inode: 849299 },
        { address: "0.0.0.0", port: 4369, inode: 848131 },
        { address: "127.0.0.1", port: 15984, inode: 848478 },
      ],
    );
    assert.equal(sockets.length, 6, "the fixture's 6 LISTEN lines, none of its 23 connections");
  });

  it("parses /proc/net/tcp6: ::1, an IPv4-mapped address as IPv4, and the wildcard", () => {
    assert.deepEqual(parseListeningSockets(tcp6), [
      { address: "::1", port: 45984, inode: 853691 },
      { address: "::", port: 4369, inode: 848132 },
      { address: "127.0.0.1", port: 45985, inode: 853692 },
    ]);
  });

  it("reads a big-endian machine's words in order", () => {
    const line =
      "   0: 7F000001:1760 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0 100 0 0 10 0";
    assert.deepEqual(parseListeningSockets(line, false), [{ address: "127.0.0.1", port: 5984, inode: 77 }]);
  });

  it("knows a url's host as this machine's: loopback, localhost, or an interface's address", () => {
    assert.deepEqual(localAddresses("localhost", []), ["127.0.0.1", "::1"]);
    assert.deepEqual(localAddresses("127.0.0.2", []), ["127.0.0.2"]);
    assert.deepEqual(localAddresses("[::1]", []), ["::1"]);
    assert.deepEqual(localAddresses("10.0.0.5", ["127.0.0.1", "10.0.0.5"]), ["10.0.0.5"]);
    assert.equal(localAddresses("10.0.0.6", ["127.0.0.1", "10.0.0.5"]), undefined);
    assert.equal(localAddresses("couch.example.com", []), undefined);
  });

  it("takes the socket on the url's address or on every address, on the url's port", () => {
    const sockets = [...parseListeningSockets(tcp), ...parseListeningSockets(tcp6)];
    assert.deepEqual(listenerInodes(sockets, 5984, ["127.0.0.1"]), [849299]);
    assert.deepEqual(listenerInodes(sockets, 5984, ["::1"]), [], "CouchDB listens on 127.0.0.1 only");
    assert.deepEqual(listenerInodes(sockets, 4369, ["::1"]), [848131, 848132], "epmd listens everywhere");
    assert.deepEqual(listenerInodes(sockets, 45985, ["127.0.0.1", "::1"]), [853692]);
  });

  it("reads a socket's inode from an fd link", () => {
    assert.equal(socketInode("socket:[849299]"), 849299);
    assert.equal(socketInode("pipe:[849299]"), undefined);
    assert.equal(socketInode("/dev/null"), undefined);
  });

  it("measures only CouchDB's Erlang VM, and says why not otherwise", () => {
    assert.deepEqual(couchVmOwner([{ pid: 16574, name: "beam.smp" }], "127.0.0.1:5984"), { pid: 16574 });
    assert.deepEqual(couchVmOwner([{ pid: 900, name: "docker-proxy" }], "127.0.0.1:5984"), {
      reason: "127.0.0.1:5984 is served by docker-proxy on this machine, not by CouchDB's Erlang VM",
    });
    assert.match(couchVmOwner([], "127.0.0.1:5984").reason!, /no process .* listening on 127\.0\.0\.1:5984/);
    assert.match(
      couchVmOwner(
        [
          { pid: 1, name: "beam.smp" },
          { pid: 2, name: "beam.smp" },
        ],
        "localhost:5984",
      ).reason!,
      /2 Erlang VMs/,
    );
  });

  it("finds the VM in a /proc directory by its socket's fd link", () => {
    const proc = mkdtempSync(join(tmpdir(), "couchbench-proc-"));
    try {
      mkdirSync(join(proc, "net"));
      copyFileSync(join(PROC_NET_FIXTURES, "tcp"), join(proc, "net", "tcp"));
      copyFileSync(join(PROC_NET_FIXTURES, "tcp6"), join(proc, "net", "tcp6"));
      const processWith = (pid: number, name: string, links: string[]) => {
        mkdirSync(join(proc, String(pid), "fd"), { recursive: true });
        writeFileSync(join(proc, String(pid), "comm"), `${name}\n`);
        links.forEach((link, fd) => symlinkSync(link, join(proc, String(pid), "fd", String(fd))));
      };
      processWith(16574, "beam.smp", ["/dev/null", "socket:[849293]", "socket:[849299]"]);
      processWith(16620, "dockerd", ["socket:[848478]"]);
      processWith(16700, "bash", ["pipe:[849299]"]);
      assert.deepEqual(findCouchVm("http://admin:admin@127.0.0.1:5984", proc), { pid: 16574 });
      assert.deepEqual(findCouchVm("http://localhost:5984/", proc), { pid: 16574 });
      assert.match(findCouchVm("http://127.0.0.1:15984", proc).reason!, /served by dockerd/);
      assert.match(findCouchVm("http://[::1]:5984", proc).reason!, /no process .* listening on \[::1\]:5984/);
      assert.match(findCouchVm("http://192.0.2.7:5984", proc).reason!, /not an address of this machine/);
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });

  it(
    "finds the real owner of a socket this test listens on: this node process, not a CouchDB",
    { skip: process.platform !== "linux" && "needs Linux's /proc" },
    async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const comm = readFileSync(`/proc/${process.pid}/comm`, "utf8").trim();
        assert.deepEqual(findCouchVm(`http://127.0.0.1:${port}`), {
          reason: `127.0.0.1:${port} is served by ${comm} on this machine, not by CouchDB's Erlang VM`,
        });
      } finally {
        server.close();
      }
    },
  );
});
