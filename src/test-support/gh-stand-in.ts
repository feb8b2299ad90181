/**
 * A `gh` for the workflow step test: `gh run list …` prints the run id of the newest run that
 * has artifacts (or nothing), `gh run download <id> --name <n> --dir <d>` copies
 * `<artifacts>/<id>/<n>/` into `<d>` and fails like gh when there is no such artifact. Every
 * call is appended to `<artifacts>/calls.log`, so a test can check what the workflow asked for.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
echo "gh $*" >> "$GH_STAND_IN_ARTIFACTS/calls.log"
case "$1 $2" in
  "run list") ls "$GH_STAND_IN_ARTIFACTS" | { grep -E '^[0-9]+$' || true; } | sort -n | tail -n 1 ;;
  "run download")
    id=$3; shift 3; name=""; dir="."
    while [ $# -gt 0 ]; do case "$1" in --name) name=$2; shift 2 ;; --dir) dir=$2; shift 2 ;; *) shift ;; esac; done
    if [ ! -d "$GH_STAND_IN_ARTIFACTS/$id/$name" ]; then echo "no artifact matches any of the names or patterns provided" >&2; exit 1; fi
    mkdir -p "$dir" && cp -r "$GH_STAND_IN_ARTIFACTS/$id/$name/." "$dir/" ;;
  *) echo "gh stand-in: unsupported command: $*" >&2; exit 2 ;;
esac
`;

export interface GhStandIn {
  /** Put first on PATH. */
  binDir: string;
  artifacts: string;
  /** Serves `files` (name → content) as artifact `name` of run `runId`. */
  serve(runId: number, artifact: string, files: Record<string, string>): void;
  env: Record<string, string>;
}

export function ghStandIn(): GhStandIn {
  const root = mkdtempSync(join(tmpdir(), "couchbench-gh-"));
  const binDir = join(root, "bin");
  const artifacts = join(root, "artifacts");
  mkdirSync(binDir);
  mkdirSync(artifacts);
  writeFileSync(join(binDir, "gh"), SCRIPT);
  chmodSync(join(binDir, "gh"), 0o755);
  writeFileSync(join(artifacts, "calls.log"), "");
  return {
    binDir,
    artifacts,
    serve(runId, artifact, files) {
      const dir = join(artifacts, String(runId), artifact);
      mkdirSync(dir, { recursive: true });
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    },
    env: { PATH: `${binDir}:${process.env.PATH}`, GH_STAND_IN_ARTIFACTS: artifacts },
  };
}
