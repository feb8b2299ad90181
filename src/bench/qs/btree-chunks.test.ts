import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chunkify } from "./btree-chunks.js";
import { compareKeys, compareRowKeys } from "./couch-collation.js";

describe("chunkify (couch_btree:chunkify/1)", () => {
  const sizes = (chunks: number[][]) => chunks.map((chunk) => chunk.length);
  const items = (count: number) => Array.from({ length: count }, (_, i) => i);

  it("keeps a level that fits in one node whole", () => {
    assert.deepEqual(
      chunkify(items(10), () => 100),
      [items(10)],
    );
    assert.deepEqual(
      chunkify([], () => 100),
      [],
    );
  });

  it("splits 55 rows of 45 bytes into 28 + 27, as CouchDB did in the seed_views transcript", () => {
    // 2475 bytes → 2 nodes, threshold 1237: a node closes with the row that crosses it.
    assert.deepEqual(sizes(chunkify(items(55), () => 45)), [28, 27]);
  });

  it("gives a lone last element to the node before it", () => {
    // 4 × 500 = 2000 bytes → threshold 1000: [0,1,2] closes at 1500 > 1000, then [3] alone.
    assert.deepEqual(
      chunkify(items(4), () => 500),
      [[0, 1, 2, 3]],
    );
    assert.deepEqual(
      chunkify(items(5), () => 500),
      [
        [0, 1, 2],
        [3, 4],
      ],
    );
  });

  it("respects a different node size", () => {
    // 1000 bytes / 100 → 11 nodes likely, threshold 90: each node closes on its 10th item.
    assert.deepEqual(sizes(chunkify(items(100), () => 10, 100)), Array(10).fill(10));
  });
});

describe("CouchDB key collation", () => {
  it("orders types null < false < true < numbers < strings < arrays < objects", () => {
    const keys = [{ a: 1 }, ["a"], "b", 2, true, false, null, "a", 1, [], {}];
    assert.deepEqual([...keys].sort(compareKeys), [null, false, true, 1, 2, "a", "b", [], ["a"], {}, { a: 1 }]);
  });

  it("compares arrays element-wise and strings case-insensitively first, like ICU", () => {
    assert.ok(compareKeys(["a", 2], ["a", 10]) < 0);
    assert.ok(compareKeys(["a"], ["a", 0]) < 0);
    assert.ok(compareKeys("a", "B") < 0);
    assert.ok(compareKeys("a", "A") < 0);
  });

  it("breaks ties between equal keys by document id", () => {
    assert.ok(compareRowKeys([1, "b"], [1, "a"]) > 0);
    assert.equal(compareRowKeys([1, "a"], [1, "a"]), 0);
  });
});
