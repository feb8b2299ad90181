/**
 * `couchbench advise --resume`: the progress file of a run, new or continued. A continued run
 * must be given the same options (what would change the variants or their builds), else its
 * earlier builds would be judged beside builds of something else.
 */
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import { AdviseProgressStore } from "../results/advise-progress.js";
import { UsageError } from "../core/errors.js";

/** The options of an advise run that its builds depend on. */
export interface AdviseFingerprint {
  designDoc: string;
  designDocId: string;
  language: string;
  views: unknown;
  dataset: string;
  docCount: number;
  repeat: number;
  seed: number;
  servers: readonly string[];
  queryServers: readonly unknown[];
  target: string;
}

export async function openAdviseCheckpoint(
  path: string,
  runId: string,
  resume: boolean,
  fingerprint: AdviseFingerprint,
): Promise<AdviseProgressStore> {
  const options = { ...fingerprint, views: hashOf(fingerprint.views) };
  if (!resume) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new UsageError(
        `--run-id ${runId}: ${path} exists — pick another id, or continue that run with --resume ${runId}`,
      );
    return AdviseProgressStore.create(path, runId, options);
  }
  const store = await AdviseProgressStore.resume(path);
  if (!store) throw new UsageError(`--resume ${runId}: no readable ${path} — check --out and the run id`);
  if (store.snapshot.status === "completed")
    throw new UsageError(`--resume ${runId}: that run completed — its results are beside ${path}, in advise.json`);
  const saved = store.snapshot.options;
  const differing = Object.keys(options).filter(
    (key) => JSON.stringify(saved[key]) !== JSON.stringify(options[key as keyof typeof options]),
  );
  if (differing.length > 0)
    throw new UsageError(
      `--resume ${runId}: ${differing.join(", ")} differ from the interrupted run — give the same options as the first time`,
    );
  return store;
}

/** The design doc's views as one short hash: a changed function must not resume an old run. */
function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
