/** One-line descriptions of where a run happened, for Markdown, text and HTML headings. */
import type { HostEnvironment, TargetInfo } from "../results/results-format.js";
import { countOf } from "../core/plural.js";
import { formatBytes } from "./format.js";

export function describeHost(env: HostEnvironment): string {
  return `${env.cpuModel}, ${env.cpuCores} cores, ${formatBytes(env.memoryBytes)} · ${env.platform}/${env.arch} · Node ${env.nodeVersion} · ${env.hostname}`;
}

export function describeTarget(target: TargetInfo): string {
  const limits = describeLimits(target);
  return [
    `CouchDB ${target.couchdbVersion}`,
    target.jsEngine ? `(${target.jsEngine})` : undefined,
    target.cluster ? `in a ${target.cluster.nodeCount}-node cluster` : undefined,
    limits ? `limited to ${limits}` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
}

export function describeLimits(target: TargetInfo): string {
  return [
    target.cpus !== undefined ? countOf(target.cpus, "CPU") : undefined,
    target.memoryBytes !== undefined ? formatBytes(target.memoryBytes) : undefined,
  ]
    .filter(Boolean)
    .join(", ");
}
