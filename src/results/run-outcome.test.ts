import assert from "node:assert/strict";
import { test } from "node:test";
import type { Measurement } from "./results-format.js";
import { noBuildReason } from "./run-outcome.js";

const as = (...statuses: Array<Measurement["status"]>) => statuses.map((status) => ({ status }) as Measurement);

test("a run measured nothing when every build was skipped or failed, and says which", () => {
  assert.equal(noBuildReason(as("skipped", "skipped")), "no build ran: every build was skipped (see the warnings)");
  assert.equal(noBuildReason(as("errored")), "no build ran: every build failed (see the errors)");
  assert.equal(
    noBuildReason(as("skipped", "errored")),
    "no build ran: every build was skipped or failed (see the warnings and errors)",
  );
  assert.equal(noBuildReason(as("skipped", "completed", "errored")), undefined, "one completed build is a run");
  assert.equal(noBuildReason([]), undefined, "nothing recorded yet");
});
