import { test } from "node:test";
import assert from "node:assert/strict";
import { adviseResultsFixture } from "../test-support/advise-fixture.js";
import { validateAdvise } from "../test-support/advise-schema.js";

test("an advise results file as adviseReport builds it is valid against the schema", () => {
  assert.ok(validateAdvise(adviseResultsFixture()), JSON.stringify(validateAdvise.errors));
});

test("the schema rejects what readers could not rely on: unknown verdicts, missing builds, credentials in the URL", () => {
  const unknownVerdict = adviseResultsFixture();
  (unknownVerdict.variants[1] as { verdict: string }).verdict = "probably faster";
  assert.equal(validateAdvise(unknownVerdict), false);
  const noBuilds = adviseResultsFixture() as unknown as { variants: Array<Record<string, unknown>> };
  delete noBuilds.variants[0]!.builds;
  assert.equal(validateAdvise(noBuilds), false);
  const credentials = adviseResultsFixture();
  credentials.target.url = "http://admin:secret@127.0.0.1:5984";
  assert.equal(validateAdvise(credentials), false);
});
