/**
 * `npm run docs:render`: rewrites the rendered blocks of README.md and docs/*.md from the
 * published results under results/published/ (see rendered-blocks.ts). Run from the repository
 * root after `npm run build`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withRenderedBlocks } from "./rendered-blocks.js";

export const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI_ENTRY = fileURLToPath(new URL("./main.js", import.meta.url));

/** The Markdown files that may hold rendered blocks. */
export function documentationFiles(root: string = REPOSITORY_ROOT): string[] {
  const docs = join(root, "docs");
  let pages: string[] = [];
  try {
    pages = readdirSync(docs)
      .filter((name) => name.endsWith(".md"))
      .map((name) => join(docs, name));
  } catch {
    // No docs/ folder: only the README.
  }
  return [join(root, "README.md"), ...pages];
}

/** What `couchbench <args>` prints on stdout, run from the repository root as the block says. */
export function renderCommand(args: string[], root: string = REPOSITORY_ROOT): string {
  return execFileSync(process.execPath, [CLI_ENTRY, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, COUCHBENCH_DEBUG: "", NO_COLOR: "1" },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of documentationFiles()) {
    const before = readFileSync(file, "utf8");
    const after = withRenderedBlocks(before, (args) => renderCommand(args));
    if (after !== before) {
      writeFileSync(file, after);
      process.stderr.write(`rendered ${file}\n`);
    }
  }
}
