/**
 * The README and the reference pages in docs/ link into each other by heading: a moved or renamed
 * section must not leave a link pointing nowhere. Checks every relative link of the project's
 * Markdown: the file exists and, for `#anchor`, one of its headings has that GitHub slug.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs")).map((name) => `docs/${name}`),
  "designdocs/README.md",
  "datasets/README.md",
  "results/README.md",
  "src/queryserver/README.md",
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, "")
    .replaceAll(" ", "-");
}

function anchorsOf(markdown: string): Set<string> {
  const outsideFences = markdown.split(/^```.*$/m).filter((_part, i) => i % 2 === 0);
  return new Set(outsideFences.flatMap((part) => [...part.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!))));
}

test("every relative link of the README, docs/ and the folder READMEs reaches a file and a heading", () => {
  const broken: string[] = [];
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [file, anchor] = target!.split("#") as [string, string | undefined];
      const path = file === "" ? join(ROOT, page) : join(ROOT, dirname(page), file);
      // Outside the repository (../shared beside a checkout) is not this project's to keep.
      if (relative(ROOT, path).startsWith("..")) continue;
      if (!existsSync(path)) broken.push(`${page}: ${target} (no such file)`);
      else if (anchor && path.endsWith(".md") && !anchorsOf(readFileSync(path, "utf8")).has(anchor))
        broken.push(`${page}: ${target} (no heading #${anchor} in ${relative(ROOT, path)})`);
    }
  }
  assert.deepEqual(broken, []);
});
