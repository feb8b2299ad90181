/**
 * Figures in the README and docs/ are rendered, not typed: a block opens with the couchbench
 * command that renders it, as an HTML comment, and ends with `<!-- end -->`. `npm run docs:render`
 * rewrites every block from its command, and a test fails when a block differs from what its
 * command prints, so text and data cannot drift apart.
 *
 *   <!-- couchbench report --format md results/published/classic/results.json -->
 *   | … the command's stdout … |
 *   <!-- end -->
 */

/** One rendered block of a Markdown file: its command's arguments and the text it holds now. */
export interface RenderedBlock {
  args: string[];
  text: string;
}

const BLOCK = /<!-- couchbench ([^\n]*?) -->\n([\s\S]*?)<!-- end -->/g;

export function renderedBlocks(markdown: string): RenderedBlock[] {
  return [...markdown.matchAll(BLOCK)].map((match) => ({ args: splitArgs(match[1]!), text: match[2]! }));
}

/** The Markdown with each block's text replaced by `render(args)`. */
export function withRenderedBlocks(markdown: string, render: (args: string[]) => string): string {
  return markdown.replace(BLOCK, (_block, command: string) => {
    const text = render(splitArgs(command));
    return `<!-- couchbench ${command} -->\n${text.endsWith("\n") ? text : `${text}\n`}<!-- end -->`;
  });
}

/** Arguments split on spaces; a published command names files and flags, never values with spaces. */
function splitArgs(command: string): string[] {
  return command.trim().split(/\s+/);
}
