import { errorReply } from "./abort.js";
import { CompileError } from "./sandbox/function-source.js";
import { Sandbox, type SandboxMode, type SandboxServices } from "./sandbox/sandbox.js";

/**
 * A new sandbox holding the compiled function, or the reference's compile error replies:
 * `not_found` "missing function" for an empty source, `compilation_error` otherwise.
 */
export function compiledSandbox(
  source: unknown,
  mode: SandboxMode,
  rootText: string | null,
  filename: string,
  services: SandboxServices,
): Sandbox {
  if (!source) throw errorReply("not_found", "missing function");
  if (typeof source !== "string") {
    throw errorReply("compilation_error", `Expression does not eval to a function. (${JSON.stringify(source)})`);
  }
  const sandbox = new Sandbox(mode, rootText, services);
  try {
    sandbox.compile(source, filename);
  } catch (error) {
    if (error instanceof CompileError) throw errorReply("compilation_error", error.message);
    throw error;
  }
  return sandbox;
}
