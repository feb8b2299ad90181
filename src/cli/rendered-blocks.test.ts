import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { test } from "node:test";
import { documentationFiles, renderCommand, REPOSITORY_ROOT } from "./render-docs.js";
import { renderedBlocks, withRenderedBlocks } from "./rendered-blocks.js";

const PAGE = [
  "# Figures",
  "<!-- couchbench report --format md a.json -->",
  "| old |",
  "<!-- end -->",
  "text between",
  "<!-- couchbench compare a.json b.json  --format md -->",
  "<!-- end -->",
  "",
].join("\n");

test("a block is the command in its opening comment and the text up to <!-- end -->", () => {
  assert.deepEqual(renderedBlocks(PAGE), [
    { args: ["report", "--format", "md", "a.json"], text: "| old |\n" },
    { args: ["compare", "a.json", "b.json", "--format", "md"], text: "" },
  ]);
});

test("rendering replaces each block's text and nothing else, ending it with a newline", () => {
  const rendered = withRenderedBlocks(PAGE, (args) => `| ${args[0]} |`);
  assert.equal(
    rendered,
    PAGE.replace("| old |\n", "| report |\n").replace(
      "--format md -->\n<!-- end -->",
      "--format md -->\n| compare |\n<!-- end -->",
    ),
  );
  assert.equal(
    withRenderedBlocks(rendered, (args) => `| ${args[0]} |\n`),
    rendered,
    "rendering twice changes nothing",
  );
});

test("every rendered block of the README and docs/ is what its command prints from the published results", () => {
  const files = documentationFiles();
  for (const file of files) {
    for (const block of renderedBlocks(readFileSync(file, "utf8"))) {
      assert.equal(
        block.text,
        renderCommand(block.args),
        `${relative(REPOSITORY_ROOT, file)}: the block of \`couchbench ${block.args.join(" ")}\` differs from what it prints — run npm run docs:render`,
      );
    }
  }
});
