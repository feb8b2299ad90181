import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { designDocsDir } from "../../core/package-paths.js";
import { configCombinations, parseConfigOption } from "../../couch/config-settings.js";
import { parseTemplate } from "../design-docs.js";
import { deriveVariants, type UserDesignDoc } from "./variants.js";

async function classic(): Promise<UserDesignDoc> {
  const path = join(designDocsDir, "classic.json");
  return {
    id: "_design/classic",
    language: "javascript",
    template: parseTemplate(JSON.parse(await readFile(path, "utf8")), path),
    otherFields: {},
  };
}

test("advise --config: each combination is a variant of the original under those settings, and only that", async () => {
  const combinations = configCombinations([parseConfigOption("view_updater/queue_memory_cap=100000,10485760")]);
  const context = { availableServers: ["javascript"], defaultQ: 2, generatedIds: false };
  const { original, variants } = deriveVariants(await classic(), { ...context, configCombinations: combinations });
  const settings = variants.filter((variant) => variant.kind === "config");
  assert.deepEqual(
    settings.map((variant) => [variant.id, variant.title]),
    [
      ["config-1", "CouchDB setting queue_memory_cap=100000"],
      ["config-2", "CouchDB setting queue_memory_cap=10485760"],
    ],
  );
  for (const variant of settings) {
    assert.deepEqual(variant.designs, original.designs, "same design doc");
    assert.equal(variant.server, original.server);
    assert.equal(variant.q, original.q);
    assert.equal(variant.readerVisible, false);
    assert.equal(variant.ddocChange, undefined, "a setting is not a change to the design doc");
  }
  assert.deepEqual(settings[1]!.config, combinations[1]);
  // Without --config no variant carries settings: every one builds under the server's own.
  const plain = deriveVariants(await classic(), context);
  assert.ok([plain.original, ...plain.variants].every((variant) => variant.config === undefined));
});
