import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPicks, expectedPicks } from "./positional-check.js";

/** Rows as CouchDB returns them with reduce=false: by key, then by document id. */
const ROWS = [
  { key: ["a", 1], value: 10 },
  { key: ["a", 1], value: 11 },
  { key: ["a", 2], value: 12 },
  { key: ["b", 1], value: 20 },
  { key: ["b", 3], value: 21 },
];

test("_first and _last: the first and last row of the view, of each key, of each key prefix", () => {
  assert.deepEqual(expectedPicks(ROWS, "_first", "all"), [{ key: null, value: 10 }]);
  assert.deepEqual(expectedPicks(ROWS, "_last", "all"), [{ key: null, value: 21 }]);
  assert.deepEqual(expectedPicks(ROWS, "_first", "exact"), [
    { key: ["a", 1], value: 10 },
    { key: ["a", 2], value: 12 },
    { key: ["b", 1], value: 20 },
    { key: ["b", 3], value: 21 },
  ]);
  assert.deepEqual(expectedPicks(ROWS, "_last", 1), [
    { key: ["a"], value: 12 },
    { key: ["b"], value: 21 },
  ]);
  assert.deepEqual(expectedPicks([], "_first", "all"), []);
});

test("CouchDB's answer is accepted when it is the definition's and named when it is not", () => {
  const answered = [
    { key: ["a"], value: 10 },
    { key: ["b"], value: 20 },
  ];
  assert.equal(checkPicks("v", "_first", ROWS, 1, answered), undefined);
  // The JavaScript values[0] on CouchDB often gives another row of the group: that is the near miss to reject.
  const otherRow = [
    { key: ["a"], value: 11 },
    { key: ["b"], value: 20 },
  ];
  assert.match(checkPicks("v", "_first", ROWS, 1, otherRow) ?? "", /^v group_level=1: _first gave .* its definition/);
});
