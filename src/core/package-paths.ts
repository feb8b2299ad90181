import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The installed package's root: compiled files sit in dist/<folder>/, two levels below it. */
export const packageRoot: string = fileURLToPath(new URL("../../", import.meta.url));

export const datasetsDir: string = fileURLToPath(new URL("../../datasets/", import.meta.url));
export const designDocsDir: string = fileURLToPath(new URL("../../designdocs/", import.meta.url));
export const queryServerBundle: string = fileURLToPath(new URL("../query-server.js", import.meta.url));
export const noopQueryServerScript: string = fileURLToPath(
  new URL("../bench/qs/noop-query-server.js", import.meta.url),
);

const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const couchbenchVersion: string = packageJson.version;
