import { installChecks } from "../runtime/checks.js";
import { installCore } from "../runtime/core.js";
import { installEntry } from "../runtime/entry.js";
import { installMime } from "../runtime/mime.js";
import { installModules } from "../runtime/modules.js";
import { installRender } from "../runtime/render.js";
import { installViews } from "../runtime/views.js";

/**
 * The sandbox runtime as one script: evaluates to a function `(host, mode, rootText) => api`.
 * Built from the real functions' source text so the runtime is type-checked like the rest of
 * the code, yet runs entirely inside the user function's context (strict mode, no host objects).
 */
export const runtimeSource = `(function (host, mode, rootText) {
  "use strict";
  const rt = {};
  (${installCore.toString()})(rt, host);
  (${installModules.toString()})(rt, host);
  (${installMime.toString()})(rt, host);
  (${installRender.toString()})(rt, host);
  (${installChecks.toString()})(rt);
  (${installViews.toString()})(rt, host);
  return (${installEntry.toString()})(rt, mode, rootText);
})`;
