import { arch, cpus, hostname, platform, totalmem } from "node:os";
import { couchbenchVersion } from "../core/package-paths.js";
import { scrubText } from "../couch/url.js";
import type { HostEnvironment } from "../results/results-format.js";

/** The machine the numbers were measured on, recorded next to them. */
export function hostEnvironment(argv: readonly string[]): HostEnvironment {
  const processors = cpus();
  return {
    couchbenchVersion,
    nodeVersion: process.version,
    platform: platform(),
    arch: arch(),
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    cpuCores: processors.length,
    memoryBytes: totalmem(),
    hostname: hostname(),
    commandLine: scrubText(["couchbench", ...argv.slice(2)].join(" ")),
  };
}
