/**
 * The sentinel view added to the design doc under test, written in the language of the server
 * under test so every server does the same extra work: one more map call per document that
 * emits nothing but for the sentinels (one document every few hundred ms).
 */
import type { ViewSource } from "../design-docs.js";

export const SENTINEL_FIELD = "couchbench_sentinel";
export const SENTINEL_VIEW = "couchbench_sentinel";

const JAVASCRIPT: ViewSource = {
  map: `function (doc) {\n  if (doc.${SENTINEL_FIELD}) emit(doc.${SENTINEL_FIELD}, null);\n}`,
};

const ERLANG: ViewSource = {
  map: `fun({Doc}) ->\n  case proplists:get_value(<<"${SENTINEL_FIELD}">>, Doc) of\n    undefined -> ok;\n    Seq -> Emit(Seq, null)\n  end\nend.`,
};

/**
 * The view for a design doc language: Erlang's own, JavaScript for every server that runs
 * JavaScript (couchjs, QuickJS, couchbench's TypeScript server, most --query-server servers).
 */
export function sentinelView(language: string): ViewSource {
  return language === "erlang" ? ERLANG : JAVASCRIPT;
}
