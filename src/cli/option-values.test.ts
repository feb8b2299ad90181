import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import { UsageError } from "../core/errors.js";
import { runCli } from "../test-support/run-cli.js";
import { byteSize, fraction, wholeNumber, wholeNumbers } from "./option-values.js";

describe("wholeNumber", () => {
  it("accepts decimal digits, optionally grouped with _", () => {
    assert.equal(wholeNumber("--sizes", "1000"), 1000);
    assert.equal(wholeNumber("--sizes", "100_000"), 100_000);
    assert.equal(wholeNumber("--seed", "0", { min: 0 }), 0);
    assert.deepEqual(wholeNumbers("--q", "1, 2,8"), [1, 2, 8]);
  });

  it("refuses exponents, hex, decimals, signs and values below the minimum with one line", () => {
    for (const value of ["1e3", "0x10", "2.0", "-1", "", "1__0", "12abc"]) {
      assert.throws(
        () => wholeNumber("--docs", value),
        (error: unknown) =>
          error instanceof UsageError &&
          /^--docs: '.*' is not a positive whole number — e\.g\. --docs 3$/.test(error.message),
        value,
      );
    }
    assert.throws(() => wholeNumber("--repeat", "0"), /is not a positive whole number/);
    assert.throws(
      () => wholeNumber("--seed", "-1", { min: 0 }),
      /--seed: '-1' is not a whole number ≥ 0 — e\.g\. --seed 3/,
    );
    assert.throws(() => wholeNumber("--docs", "9007199254740993"), UsageError);
  });
});

test("fraction and byteSize", () => {
  assert.equal(fraction("--update", "25%"), 0.25);
  assert.equal(fraction("--update", "0"), 0);
  assert.throws(() => fraction("--update", "half"), /--update: 'half' is not a fraction/);
  assert.equal(byteSize("--memory", "4g"), 4 * 1024 ** 3);
  assert.equal(byteSize("--memory", "512MiB"), 512 * 1024 ** 2);
  assert.throws(() => byteSize("--memory", "lots"), /is not a size/);
});

test("every command refuses the same malformed whole number the same way", () => {
  const runSizes = runCli(["run", "--url", "http://127.0.0.1:1", "--sizes", "1e3", "--dry-run"]);
  const runSeed = runCli(["run", "--url", "http://127.0.0.1:1", "--seed", "0x10", "--dry-run"]);
  const qsDocs = runCli(["qs-bench", "--docs", "1e3"]);
  for (const [result, option, value] of [
    [runSizes, "--sizes", "1e3"],
    [runSeed, "--seed", "0x10"],
    [qsDocs, "--docs", "1e3"],
  ] as const) {
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`^couchbench: ${option}: '${value}' is not a (positive )?whole number`));
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});
