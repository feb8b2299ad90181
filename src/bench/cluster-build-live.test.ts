import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { measureBuild } from "./measure-build.js";
import { loadDesignDocTemplate } from "./design-docs.js";
import { describeCluster } from "../couch/cluster-setup.js";
import { CouchClient } from "../couch/couch-client.js";
import { copyIndexState, isCaughtUp, listShardCopies } from "../couch/shard-copies.js";
import { scrubUrl } from "../couch/url.js";
import { liveCouchBin, SKIP_NO_BIN } from "../test-support/live-couch.js";
import { LocalClusterTarget } from "../couch/targets/local-cluster-target.js";

test(
  "a local 3-node cluster: one identity and admin on every node, every shard copy indexed and identical, nothing left after stop",
  { timeout: 300_000 },
  async (t) => {
    if (!liveCouchBin) return t.skip(SKIP_NO_BIN);
    const progress: string[] = [];
    const couch = await new LocalClusterTarget("local", liveCouchBin, 3).start((message) => progress.push(message));
    const token = /couchdb1-(\d+)@/.exec(progress.join("\n"))?.[1];
    assert.ok(token, `node names announced: ${progress.join("; ")}`);
    try {
      const client = new CouchClient(couch.url);
      const cluster = await describeCluster(couch.url);
      assert.equal(cluster.nodeCount, 3);
      assert.deepEqual([...cluster.allNodes].sort(), [...cluster.clusterNodes].sort());
      assert.ok(
        cluster.nodes.every((node) => node.couchdbVersion && node.jsEngine),
        JSON.stringify(cluster.nodes),
      );
      const [uuids, admins, ports] = await Promise.all(
        [
          ["couchdb", "uuid"],
          ["admins", "couchbench"],
          ["chttpd", "port"],
        ].map(([section, key]) =>
          Promise.all(cluster.clusterNodes.map((name) => client.nodeConfig(name, section!, key!))),
        ),
      );
      assert.equal(new Set(uuids).size, 1, "one [couchdb] uuid");
      assert.equal(new Set(admins).size, 1, "one admin hash");
      assert.equal(new Set(ports).size, 3, "a port per node");
      // A session cookie made by node 1 opens node 3: same admin hash and [chttpd_auth] secret.
      const { username, password } = new URL(couch.url);
      const session = await fetch(`${scrubUrl(couch.url)}/_session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: username, password: decodeURIComponent(password) }),
      });
      const cookie = session.headers.get("set-cookie")!.split(";")[0]!;
      const onNode3 = (await (
        await fetch(`http://127.0.0.1:${ports[2]}/_session`, { headers: { cookie } })
      ).json()) as { userCtx: { name: string } };
      assert.equal(onNode3.userCtx.name, "couchbench");

      const db = "couchbench-cluster-live";
      await client.createDatabase(db, 2, 3);
      await client.bulkDocs(
        db,
        JSON.stringify({ docs: Array.from({ length: 300 }, (_, i) => ({ _id: `d${i}`, type: `t${i % 7}`, n: i })) }),
      );
      const template = await loadDesignDocTemplate();
      const outcome = await measureBuild({
        client,
        db,
        template,
        server: "javascript",
        buildId: `live-${Date.now()}`,
        docCount: 300,
        docBytes: 1,
        verify: true,
        cluster: true,
      });
      assert.equal(outcome.build.copies, 6, "q=2 × n=3 copies");
      assert.ok(outcome.build.allCopiesMs! >= outcome.build.ms, "every copy is done no sooner than the first answer");
      assert.equal(outcome.copyDifference, undefined);
      assert.deepEqual(outcome.build.rowsByView, { byType: 300, count: 300 });
      const copies = await listShardCopies(client, db);
      assert.deepEqual(
        [...new Set(copies.map((copy) => copy.node))].sort(),
        [...cluster.clusterNodes].sort(),
        "every node holds copies",
      );
      for (const copy of copies)
        assert.ok(isCaughtUp(await copyIndexState(client, copy, outcome.designDocId)), `${copy.range} on ${copy.node}`);
    } finally {
      await couch.stop();
    }
    const leftovers = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes(`-${token}@127.0.0.1`));
    assert.deepEqual(leftovers, [], "no node of the cluster is left running");
  },
);
