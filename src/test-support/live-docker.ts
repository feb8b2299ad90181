/**
 * Tests that need Docker run against the real engine and local images, and are skipped with
 * the reason when either is missing (tests never pull). testcontainers also starts its reaper
 * (testcontainers/ryuk) unless TESTCONTAINERS_RYUK_DISABLED=true: without that image, skip too.
 */
import { execFileSync } from "node:child_process";
import { publishAddress } from "../couch/targets/docker-settings.js";

export function dockerEngineRuns(): boolean {
  return succeeds(["info"]);
}

/** Why a test that starts `image` with testcontainers cannot run here, or undefined when it can. */
export function dockerSkipReason(image: string): string | undefined {
  if (!dockerEngineRuns()) return "no Docker engine is reachable: start one to run this test";
  if (!succeeds(["image", "inspect", image]))
    return `${image} is not on this machine (tests never pull): docker pull ${image} to run this test`;
  const reaper = execFileSync("docker", ["images", "--format", "{{.Repository}}", "testcontainers/ryuk"], {
    encoding: "utf8",
    timeout: 10_000,
  }).trim();
  if (process.env.TESTCONTAINERS_RYUK_DISABLED !== "true" && reaper === "") {
    return "testcontainers' reaper image testcontainers/ryuk is not on this machine: pull it, or set TESTCONTAINERS_RYUK_DISABLED=true, to run this test";
  }
  return undefined;
}

/**
 * The one address couchbench publishes container ports on here: 127.0.0.1, or the bridge gateway when the tests run in
 * a container.
 */
export async function engineAddress(): Promise<string> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  return publishAddress((await getContainerRuntimeClient()).info.containerRuntime.hostIps);
}

function succeeds(args: string[]): boolean {
  try {
    execFileSync("docker", args, { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
