import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../core/errors.js";
import { INGEST_DEFAULTS, resolveIngestConfig, writeMode, type RawIngestOptions } from "./ingest-options.js";

const raw = (options: Partial<RawIngestOptions> = {}): RawIngestOptions => ({
  ...INGEST_DEFAULTS,
  url: "http://admin:pw@127.0.0.1:5984",
  ...options,
});

describe("ingest options", () => {
  it("defaults: reader mode, bulk:100, medium/classic, q=1, rates sorted and deduplicated", () => {
    const { run, settings } = resolveIngestConfig(raw({ rates: "800,100,800,200" }));
    assert.equal(run.targetKind, "url");
    assert.deepEqual(settings.rates, [100, 200, 800]);
    assert.deepEqual(settings.write, { kind: "bulk", docsPerRequest: 100 });
    assert.equal(settings.freshness, "reader");
    assert.equal(settings.readers, 1);
    assert.equal(settings.q, 1);
    assert.equal(settings.durationMs, 60_000);
    assert.equal(settings.maxLagMs, 1000);
    assert.deepEqual(run.datasets, ["medium"]);
  });

  it("takes run's dimensions: servers (erlang too), q and n", () => {
    const { settings } = resolveIngestConfig(raw({ servers: "javascript,erlang", q: "2", n: "1", warmup: "0" }));
    assert.deepEqual(settings.servers, ["javascript", "erlang"]);
    assert.equal(settings.q, 2);
    assert.equal(settings.n, 1);
    assert.equal(settings.warmupMs, 0);
  });

  it("refuses bad input with one line naming the option and the fix", () => {
    const cases: Array<[Partial<RawIngestOptions>, RegExp]> = [
      [{ write: "bulk:0" }, /^--write bulk:0: use single .* or bulk:<n>/],
      [{ write: "batch" }, /^--write batch:/],
      [{ rates: "100,fast" }, /^--rates: 'fast' is not a positive whole number/],
      [{ freshness: "sometimes" }, /^--freshness sometimes: use background/],
      [{ ddoc: "classic,builtin" }, /^--ddoc: ingest measures one value per run/],
      [{ q: "1,2" }, /^--q: ingest measures one value per run/],
      [{ duration: "0" }, /^--duration: '0' is not a positive number/],
      [{ duration: "0.5" }, /^--sentinel-interval 250: fewer than 3 sentinels fit/],
      [{ freshness: "background", readers: "3" }, /^--readers: background mode has no readers/],
      [{ servers: "nope" }, /^--servers: unknown query server 'nope'/],
    ];
    for (const [options, message] of cases)
      assert.throws(
        () => resolveIngestConfig(raw(options)),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        JSON.stringify(options),
      );
  });

  it("parses write modes", () => {
    assert.deepEqual(writeMode("single"), { kind: "single" });
    assert.deepEqual(writeMode("bulk:250"), { kind: "bulk", docsPerRequest: 250 });
  });
});
