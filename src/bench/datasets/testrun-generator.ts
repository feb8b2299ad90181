import { targetBytes, type BodyGenerator } from "./profile.js";
import type { Random } from "./random.js";
import { OPERATING_SYSTEMS, PRODUCTS, TEST_AREAS, TEST_EXTENSIONS, WORDS } from "./words.js";

interface TestOutcome {
  fail: number;
  note: string;
  todo: number;
  pass: number;
}

/**
 * A test-run result shaped like seeds/large_size_doc.json: per-test outcomes in `tests`, the
 * names of passed and failed tests, and totals. Tests are added until the size budget is spent.
 */
export const testrunGenerator: BodyGenerator = (random, profile) => {
  const target = targetBytes(random, profile);
  const tests: Record<string, TestOutcome> = {};
  const passed: string[] = [];
  const failed: string[] = [];
  let passCount = 0;
  let failCount = 0;
  const header = {
    product: random.pick(PRODUCTS),
    os: random.pick(OPERATING_SYSTEMS),
    timestamp: `2009-${pad(random.int(1, 12))}-${pad(random.int(1, 28))} ${pad(random.int(0, 23))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}.${random.int(100000, 999999)}`,
    build: random.pick(["sampletest", "nightly", "release", "beta"]),
    type: random.weighted(profile.types),
    testtype: random.pick(["reftest", "mochitest", "crashtest", "xpcshell"]),
  };
  // Fixed part: header, four empty collections/counters and their keys (~150 bytes).
  let size = JSON.stringify(header).length + 150;
  while (size < target) {
    const name = testName(random);
    if (name in tests) continue;
    const failedTest = random.next() < 0.06;
    const outcome: TestOutcome = {
      fail: failedTest ? random.int(1, 4) : 0,
      note: failedTest && random.next() < 0.5 ? random.pick(WORDS) : "",
      todo: random.next() < 0.03 ? 1 : 0,
      pass: failedTest ? 0 : random.int(1, 4),
    };
    tests[name] = outcome;
    (failedTest ? failed : passed).push(name);
    passCount += outcome.pass;
    failCount += outcome.fail;
    size += 2 * (name.length + 3) + JSON.stringify(outcome).length + 2;
  }
  return {
    product: header.product,
    os: header.os,
    passed_test_names: passed,
    timestamp: header.timestamp,
    tests,
    failed_test_names: failed,
    build: header.build,
    type: header.type,
    pass_count: passCount,
    testtype: header.testtype,
    fail_count: failCount,
  };
};

function testName(random: Random): string {
  const stem =
    random.next() < 0.5
      ? `${random.int(1000, 999999)}-${random.int(1, 4)}${random.pick(["", "a", "b", "c"])}`
      : `${random.pick(WORDS)}-${random.pick(WORDS)}-${pad(random.int(1, 30))}`;
  return `tests/${random.pick(TEST_AREAS)}/${stem}.${random.pick(TEST_EXTENSIONS)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
