/**
 * A `--docker-file` build context that adds the probe query server to couchbench's image,
 * as a user adds their own server: the Dockerfile starts from `${COUCHBENCH_IMAGE}` and copies
 * the server in. The probe is an ES module; outside a `"type": "module"` package it is `.mjs`.
 */
import { copyFile, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROBE_SERVER = fileURLToPath(new URL("./probe-query-server.js", import.meta.url));

/** Where the probe sits in the image: the command to give `--query-server probe=…` in Docker. */
export const PROBE_IMAGE_COMMAND = "node /opt/probe/probe.mjs";

/** Writes the context into a fresh temporary directory; returns its Dockerfile's path. */
export async function writeProbeDockerContext(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "couchbench-probe-image-"));
  await copyFile(PROBE_SERVER, join(dir, "probe.mjs"));
  await writeFile(
    join(dir, "Dockerfile"),
    "ARG COUCHBENCH_IMAGE\nFROM ${COUCHBENCH_IMAGE}\nCOPY probe.mjs /opt/probe/probe.mjs\n",
  );
  return join(dir, "Dockerfile");
}
