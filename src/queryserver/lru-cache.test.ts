import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LruCache } from "./lru-cache.js";

describe("LruCache", () => {
  it("evicts the least recently used entry past the entry limit; a hit counts as a use", () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, string>({ maxEntries: 2, maxBytes: 100 }, (value) => evicted.push(value));
    cache.set("a", "A", 1);
    cache.set("b", "B", 1);
    assert.equal(cache.get("a"), "A");
    cache.set("c", "C", 1);
    assert.deepEqual(evicted, ["B"]);
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.size, 2);
  });

  it("evicts past the byte limit and keeps no entry larger than the limit", () => {
    const cache = new LruCache<string, number>({ maxEntries: 10, maxBytes: 10 });
    cache.set("a", 1, 4);
    cache.set("b", 2, 4);
    cache.set("c", 3, 4);
    assert.equal(cache.get("a"), undefined);
    assert.equal(cache.bytes, 8);
    cache.set("huge", 4, 11);
    assert.equal(cache.get("huge"), undefined);
    cache.set("b", 5, 1);
    assert.deepEqual([cache.get("b"), cache.bytes], [5, 5]);
  });
});
