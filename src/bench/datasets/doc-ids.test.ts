import assert from "node:assert/strict";
import { test } from "node:test";
import { idGenerator, ID_SCHEMES } from "./doc-ids.js";

const ids = (scheme: (typeof ID_SCHEMES)[number], seed: number, count: number) => {
  const idAt = idGenerator(scheme, seed);
  return Array.from({ length: count }, (_, i) => idAt(i));
};

test("every scheme gives 32 lower-case hex digits, unique, the same for the same seed and different for another", () => {
  for (const scheme of ID_SCHEMES) {
    const a = ids(scheme, 7, 20_000);
    for (const id of a) assert.match(id, /^[0-9a-f]{32}$/, `${scheme}: ${id}`);
    assert.equal(new Set(a).size, a.length, `${scheme}: unique`);
    assert.deepEqual(ids(scheme, 7, 20_000), a, `${scheme}: deterministic`);
    assert.notDeepEqual(ids(scheme, 8, 100), a.slice(0, 100), `${scheme}: seeded`);
  }
});

test("sequential ids follow couch_uuids.erl: a 26-hex prefix and a 6-hex suffix growing by 1..0xffd, a new prefix past 0xfff000", () => {
  const all = ids("sequential", 3, 30_000);
  let prefixes = 1;
  for (let i = 1; i < all.length; i++) {
    const [before, after] = [all[i - 1]!, all[i]!];
    const [suffixBefore, suffixAfter] = [parseInt(before.slice(26), 16), parseInt(after.slice(26), 16)];
    if (before.slice(0, 26) === after.slice(0, 26)) {
      const step = suffixAfter - suffixBefore;
      assert.ok(step >= 1 && step <= 0xffd, `step ${step} at ${i}`);
      assert.ok(before < after, "within a prefix, ids sort in insertion order");
    } else {
      prefixes++;
      assert.ok(suffixBefore >= 0xfff000, `prefix changed at suffix ${suffixBefore.toString(16)}`);
      assert.ok(suffixAfter >= 1 && suffixAfter <= 0xffd, "a new prefix starts its suffix with one step");
    }
  }
  // ~2047 average step: 0xfff000 / 2047 ≈ 8,190 ids per prefix.
  assert.ok(prefixes >= 3 && prefixes <= 5, `${prefixes} prefixes in 30,000 ids`);
  assert.ok(parseInt(all[0]!.slice(26), 16) <= 0xffd, "the first suffix is one step");
});

test("ids are random access: any index, in any order, gives what the in-order walk gave", () => {
  for (const scheme of ID_SCHEMES) {
    const inOrder = ids(scheme, 11, 5_000);
    const idAt = idGenerator(scheme, 11);
    for (const index of [4_999, 0, 2_500, 1_023, 1_024, 1_025, 4_000, 17])
      assert.equal(idAt(index), inOrder[index], `${scheme} #${index}`);
  }
});

test("random ids are uuid4 and unordered; uuidv7 ids are version 7, ordered by their millisecond clock", () => {
  const random = ids("random", 5, 2_000);
  for (const id of random) assert.match(id, /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  const ascending = random.filter((id, i) => i > 0 && id > random[i - 1]!).length;
  assert.ok(ascending > 900 && ascending < 1100, `${ascending} of 1999 random ids sort after their predecessor`);

  const v7 = ids("uuidv7", 5, 2_000);
  for (const id of v7) assert.match(id, /^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  const clock = v7.map((id) => parseInt(id.slice(0, 12), 16));
  for (let i = 1; i < clock.length; i++) assert.ok(clock[i]! >= clock[i - 1]!, "the clock never goes back");
  assert.ok(clock[clock.length - 1]! > clock[0]!, "the clock advances");
  const year = new Date(clock[0]!).getUTCFullYear();
  assert.equal(year, 2026, "the clock comes from the seed, in 2026, not from the machine");
  assert.notEqual(ids("uuidv7", 6, 1)[0]!.slice(0, 12), v7[0]!.slice(0, 12), "another seed starts another clock");
});
