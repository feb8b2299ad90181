/**
 * Keeps the architecture the folder names promise: data flows one way, so a module may import
 * only from the layers below its own. Read from the sources, so a new file is checked too.
 *
 *   core → results → couch → bench → cli        report → results
 *   queryserver: a standalone bundle; imports nothing outside itself, and of it only
 *   protocol.ts (message types) may be imported by bench (qs-bench) — cli starts it as a command.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Folder → the folders (or single files) its production modules may import. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  results: ["core"],
  queryserver: [],
  couch: ["core", "results"],
  bench: ["core", "results", "couch", "queryserver/protocol.ts"],
  report: ["core", "results"],
  cli: ["core", "results", "couch", "bench", "report", "queryserver"],
};

/** Test code may also use the shared test helpers; the helpers themselves may import anything. */
const TEST_HELPERS = "test-support";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const specifiers = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g,
    ),
  ];
  return specifiers.map((match) => match[1] ?? match[2] ?? match[3]!).filter((specifier) => specifier.startsWith("."));
}

function isTestCode(file: string): boolean {
  return file.endsWith(".test.ts") || file.split(sep).some((part) => part === "test-support" || part === "fixtures");
}

export function layerViolations(srcDir: string = SRC): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const from = relative(srcDir, file).split(sep);
    const layer = from.length > 1 ? from[0]! : "";
    if (layer === TEST_HELPERS || layer === "") continue;
    const allowed = ALLOWED[layer];
    if (!allowed) {
      violations.push(
        `${from.join("/")}: folder src/${layer} has no place in the layer order — add it to import-layers.test.ts`,
      );
      continue;
    }
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const target = relative(srcDir, join(dirname(file), specifier.replace(/\.js$/, ".ts"))).split(sep);
      const targetLayer = target[0]!;
      const targetPath = target.join("/");
      if (targetLayer === layer) continue;
      if (isTestCode(file) && targetLayer === TEST_HELPERS) continue;
      if (allowed.some((entry) => entry === targetLayer || entry === targetPath)) continue;
      violations.push(
        `${from.join("/")}: imports ${specifier} (src/${targetPath}) — ${layer} may import only ${allowed.length ? allowed.join(", ") : "itself"}`,
      );
    }
  }
  return violations;
}

test("no module imports from a layer above its own", () => {
  assert.deepEqual(layerViolations(), []);
});

test("the check finds an upward import, named by file and import", () => {
  const text = readFileSync(join(SRC, "couch", "probe.ts"), "utf8");
  assert.ok(importsOf(`${text}\nimport { runBenchmark } from "../bench/runner.js";`).includes("../bench/runner.js"));
  assert.deepEqual(
    importsOf(
      `export { x } from "./a.js";\nconst m = await import("../cli/main.js");\nimport "./side.js";\nimport type { T } from "../b.js";`,
    ),
    ["./a.js", "../cli/main.js", "./side.js", "../b.js"],
  );
});
