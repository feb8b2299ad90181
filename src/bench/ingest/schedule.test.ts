import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { docsPerRequest, dueMs, isSentinelRequest, requestsIn, writeModeLabel } from "./schedule.js";

describe("schedule", () => {
  it("spaces single writes 1/rate apart and bulk requests n/rate apart", () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => dueMs(i, 200, 1)),
      [0, 5, 10, 15],
    );
    assert.deepEqual(
      [0, 1, 2].map((i) => dueMs(i, 1000, 100)),
      [0, 100, 200],
    );
    assert.equal(dueMs(7, 3, 1), 7000 / 3);
  });

  it("offers exactly rate × window documents, rounding the last request up", () => {
    assert.equal(requestsIn(10_000, 200, 1), 2000);
    assert.equal(requestsIn(10_000, 1500, 100), 150);
    assert.equal(requestsIn(1000, 150, 100), 2);
  });

  it("marks one sentinel per interval whatever the rate, the first request always", () => {
    const count = (rate: number, per: number) =>
      Array.from({ length: requestsIn(10_000, rate, per) }, (_, i) => i).filter((i) =>
        isSentinelRequest(i, rate, per, 250),
      ).length;
    assert.equal(count(100, 1), 40);
    assert.equal(count(5000, 1), 40);
    assert.equal(count(3000, 100), 40, "requests 33 ms apart: the first at or after each 250 ms mark");
    assert.ok(isSentinelRequest(0, 10, 1, 250));
    assert.equal(count(2, 1), 20, "slower than the interval: every request is a sentinel");
  });

  it("names the write modes as the command line does", () => {
    assert.equal(writeModeLabel({ kind: "single" }), "single");
    assert.equal(writeModeLabel({ kind: "bulk", docsPerRequest: 100 }), "bulk:100");
    assert.equal(docsPerRequest({ kind: "bulk", docsPerRequest: 100 }), 100);
  });
});
