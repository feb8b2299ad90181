import { prose, targetBytes, type BodyGenerator, type DocBody } from "./profile.js";
import type { Random } from "./random.js";
import { PRODUCTS, WORDS } from "./words.js";

/**
 * A test-case description shaped like seeds/medium_size_doc.json: title, tags, creation date,
 * the steps both as raw text and rendered HTML, litmus ids. The steps absorb the size budget.
 */
export const testcaseGenerator: BodyGenerator = (random, profile) => {
  const target = targetBytes(random, profile);
  const header = {
    product: random.pick(PRODUCTS),
    title: { "en-us": capitalise(prose(random, WORDS, random.int(40, 80))) },
    tags: Array.from({ length: random.int(0, 3) }, () => random.pick(WORDS)),
    creation_dt: isoDate(random),
  };
  const litmusPks = Array.from({ length: random.int(1, 3) }, () => random.int(1000, 99999));
  const type = random.weighted(profile.types);
  const expected = capitalise(prose(random, WORDS, random.int(30, 60))) + ".";
  const assemble = (steps: string[]): DocBody => ({
    ...header,
    description_rendered: { "en-us": renderHtml(steps, expected) },
    litmus_pks: litmusPks,
    type,
    description_raw: { "en-us": renderRaw(steps, expected) },
  });
  return assemble(fillSteps(random, target - JSON.stringify(assemble([])).length));
};

/**
 * Each step's text appears twice (raw and rendered) plus ~20 bytes of markup per step; the
 * last step takes whatever budget is left so the document lands on its target size.
 */
function fillSteps(random: Random, budget: number): string[] {
  const steps: string[] = [];
  let remaining = budget;
  while (remaining > 22) {
    const lastStep = remaining < 2 * 120 + 20;
    const length = lastStep ? Math.floor((remaining - 20) / 2) : random.int(30, 90);
    const step = capitalise(prose(random, WORDS, length));
    steps.push(step);
    remaining -= 2 * step.length + 20;
  }
  return steps;
}

function renderRaw(steps: string[], expected: string): string {
  const numbered = steps.map((step, i) => `${i + 1}. ${step}`).join("\r\n");
  return `Steps\n-----\n\n${numbered}\n\n\nExpected Result\n---------------\n\n${expected}`;
}

function renderHtml(steps: string[], expected: string): string {
  const items = steps.map((step) => `<li>${step}</li>`).join("\n");
  return `<h2>Steps</h2>\n<ol>\n${items}\n</ol>\n<h2>Expected Result</h2>\n<p>${expected}</p>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isoDate(random: Random): string {
  const date = new Date(Date.UTC(2008, 0, 1) + random.int(0, 4 * 365 * 86400) * 1000);
  return date.toISOString().slice(0, 19);
}
