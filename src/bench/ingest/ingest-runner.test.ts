import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ingestConfigFixture } from "../../test-support/ingest-fixture.js";
import { kneeOf, seriesAt, stepKey, type Series } from "./ingest-runner.js";

const narrow = [{ section: "ken", key: "batch_channels", value: "20" }];
const wide = [{ section: "ken", key: "batch_channels", value: null }];
const label = (series: Series) => `${series.server}${series.config ? `@${series.config[0]!.value ?? "default"}` : ""}`;

describe("ingest series", () => {
  it("without --config a series is a server, rotated from round to round", () => {
    assert.deepEqual(seriesAt(["javascript", "typescript"], [], 0).map(label), ["javascript", "typescript"]);
    assert.deepEqual(seriesAt(["javascript", "typescript"], [], 1).map(label), ["typescript", "javascript"]);
  });

  it("with --config: the combinations outermost (a setting changes once per round), both rotated by round", () => {
    const servers = ["javascript", "typescript"];
    assert.deepEqual(seriesAt(servers, [narrow, wide], 0).map(label), [
      "javascript@20",
      "typescript@20",
      "javascript@default",
      "typescript@default",
    ]);
    assert.deepEqual(seriesAt(servers, [narrow, wide], 1).map(label), [
      "typescript@default",
      "javascript@default",
      "typescript@20",
      "javascript@20",
    ]);
  });

  it("keys a step by its combination, and finds a series' knee from its own steps only", () => {
    assert.equal(stepKey("url", { server: "javascript" }, 100), "url/javascript/100");
    assert.equal(
      stepKey("url", { server: "javascript", config: wide }, 100),
      "url/javascript/ken/batch_channels=default/100",
    );
    const { steps } = ingestConfigFixture();
    const under = (value: string) => ({ server: "javascript", config: [{ ...narrow[0]!, value }] });
    assert.deepEqual(
      [kneeOf(steps, "url", under("20")), kneeOf(steps, "url", under("80"))].map((knee) => [
        knee.status,
        knee.sustainableRate,
        knee.config?.[0]?.value,
      ]),
      [
        ["bracketed", 200, "20"],
        ["above", 800, "80"],
      ],
    );
    assert.equal(kneeOf(steps, "url", { server: "javascript" }).status, "none", "no steps without settings");
  });
});
