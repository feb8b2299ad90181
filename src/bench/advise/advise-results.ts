import { queryServer } from "../../couch/query-servers.js";
import {
  ADVISE_FORMAT,
  ADVISE_FORMAT_VERSION,
  type AdvisePlan,
  type AdviseResults,
} from "../../results/advise-format.js";
import type { HostEnvironment } from "../../results/results-format.js";
import type { AdviseOutcome } from "./advise-runner.js";
import { advisedDesignDoc, type UserDesignDoc } from "./variants.js";
import { readerChanges } from "./verdicts.js";

export interface AdviseReport {
  results: AdviseResults;
  /** The design doc to PUT, when the combination of winning changes was built and its output matched. */
  advisedDoc?: Record<string, unknown>;
}

/** The advise results file and the advised design doc, from what the runner measured. */
export function adviseReport(
  outcome: AdviseOutcome,
  meta: {
    runId: string;
    createdAt: string;
    plan: AdvisePlan;
    environment: HostEnvironment;
    design: UserDesignDoc;
    /** The advised design doc's file name, beside advise.json (relative, so a moved folder stays whole). */
    advisedFile: string;
  },
): AdviseReport {
  const combined = outcome.combined;
  const verified = combined && combined.result.output.status === "match" && !combined.result.error;
  const notes = [
    ...outcome.derived.skipped,
    ...outcome.unstable.map(({ view, reason }) => `view ${view}: ${reason}, so its reduce answers are not compared`),
  ];
  if (combined && !verified)
    notes.push(
      `the combination of winning changes was not advised: ${combined.result.error ?? combined.result.output.detail ?? "its output was not checked"}`,
    );
  const results: AdviseResults = {
    format: ADVISE_FORMAT,
    formatVersion: ADVISE_FORMAT_VERSION,
    runId: meta.runId,
    status: "completed",
    createdAt: meta.createdAt,
    finishedAt: new Date().toISOString(),
    plan: meta.plan,
    environment: meta.environment,
    target: outcome.target,
    variants: outcome.variants,
    ...(combined ? { combined: combined.result } : {}),
    ...(verified ? { advisedDesignDoc: meta.advisedFile } : {}),
    readerChanges: verified ? readerChanges(combined.changes) : [],
    notes,
  };
  if (!verified) return { results };
  const language = queryServer(combined.variant.server)?.language ?? combined.variant.server;
  return { results, advisedDoc: advisedDesignDoc(meta.design, combined.variant, language) };
}
