import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Random } from "./random.js";

export type GeneratorName = "typed" | "testcase" | "testrun";
export type DocBody = Record<string, unknown>;

/** A dataset profile as stored in `datasets/<name>.json` (documented in datasets/README.md). */
export interface DatasetProfile {
  name: string;
  description: string;
  generator: GeneratorName;
  template?: string;
  sizeJitter?: number;
  types: Record<string, number>;
}

/** A profile with its template read and measured. */
export interface ResolvedProfile extends DatasetProfile {
  templateDoc?: DocBody;
  /** Compact JSON length of the template: the size generated documents aim for. */
  templateBytes?: number;
}

/** Builds one document body (without `_id`) from its own random stream. */
export type BodyGenerator = (random: Random, profile: ResolvedProfile) => DocBody;

export async function readProfile(datasetsDir: string, name: string): Promise<ResolvedProfile> {
  const profile = JSON.parse(await readFile(join(datasetsDir, `${name}.json`), "utf8")) as DatasetProfile;
  if (!profile.template) return profile;
  const templateDoc = JSON.parse(await readFile(join(datasetsDir, profile.template), "utf8")) as DocBody;
  return { ...profile, templateDoc, templateBytes: JSON.stringify(templateDoc).length };
}

/** The size one document aims for: the template's, varied by up to ± sizeJitter. */
export function targetBytes(random: Random, profile: ResolvedProfile): number {
  const jitter = profile.sizeJitter ?? 0;
  return Math.round((profile.templateBytes ?? 0) * (1 + jitter * (2 * random.next() - 1)));
}

/** Words from the vocabulary until `budget` characters (spaces included) are used up. */
export function prose(random: Random, words: readonly string[], budget: number): string {
  let text = "";
  while (text.length < budget) text += (text ? " " : "") + random.pick(words);
  return text.slice(0, Math.max(1, budget)).trimEnd();
}
