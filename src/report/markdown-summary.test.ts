import assert from "node:assert/strict";
import { test } from "node:test";
import { fixtureResults } from "../test-support/results-fixture.js";
import { renderMarkdownSummary } from "./markdown-summary.js";

test("the summary's first line states why a run measured nothing", () => {
  const results = fixtureResults({ clean: true });
  const skipped = {
    ...results,
    status: "failed" as const,
    measurements: results.measurements.map(({ build: _build, ...m }) => ({ ...m, status: "skipped" as const })),
  };
  const [first] = renderMarkdownSummary([skipped]).split("\n");
  assert.equal(
    first,
    `### couchbench run \`${results.runId}\` — no build ran: every build was skipped (see the warnings)`,
  );
  assert.equal(renderMarkdownSummary([results]).split("\n")[0], `### couchbench run \`${results.runId}\` — completed`);
});
