import { createRequire } from "node:module";
import type * as SucraseModule from "sucrase";

type Sucrase = typeof SucraseModule;
let sucrase: Sucrase | undefined;

/**
 * Sucrase costs ~100 ms to load, so it is loaded only the first time a source fails to compile
 * as JavaScript. In the esbuild bundle the literal `require("sucrase")` is bundled and evaluated
 * lazily; in the tsc output (plain ESM, where `require` is undefined) createRequire finds it.
 */
function loadSucrase(): Sucrase {
  if (!sucrase) {
    try {
      sucrase = require("sucrase") as Sucrase;
    } catch {
      sucrase = createRequire(import.meta.url)("sucrase") as Sucrase;
    }
  }
  return sucrase;
}

/** TypeScript → JavaScript by deleting types; throws Sucrase's SyntaxError (with `pos`) when it is not TypeScript. */
export function transformTypeScript(source: string): string {
  return loadSucrase().transform(source, { transforms: ["typescript"], disableESTransforms: true }).code;
}

/** TypeScript → JavaScript by deleting types; undefined when the text is not valid TypeScript either. */
export function stripTypes(source: string): string | undefined {
  try {
    return transformTypeScript(source);
  } catch {
    return undefined;
  }
}
