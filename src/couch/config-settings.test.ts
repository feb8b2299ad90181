import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../core/errors.js";
import {
  combinationLabel,
  combinationShortLabel,
  configCombinations,
  KNOWN_SETTINGS,
  parseConfigCombos,
  parseConfigOption,
  renderSettingsIni,
  scopeOf,
  splitByScope,
} from "./config-settings.js";

test("--config section/key=v1,v2: values in order; default or nothing between commas is the server's default", () => {
  assert.deepEqual(parseConfigOption("view_updater/queue_memory_cap=100000,10485760"), {
    section: "view_updater",
    key: "queue_memory_cap",
    values: ["100000", "10485760"],
  });
  assert.deepEqual(parseConfigOption("couchdb/js_engine=spidermonkey,default").values, ["spidermonkey", null]);
  assert.deepEqual(parseConfigOption("view_updater/min_writer_items=,500").values, [null, "500"]);
  // The ini's own spelling of a section is accepted too, and sections may hold dots.
  assert.deepEqual(parseConfigOption("[ioq.bypass]/view_update=true,false"), {
    section: "ioq.bypass",
    key: "view_update",
    values: ["true", "false"],
  });
});

test("a malformed option, a repeated value or a value a known key cannot take is a one-line error naming the key", () => {
  for (const [text, expected] of [
    ["queue_memory_cap=100000", /expected <section>\/<key>=<value>/],
    ["view_updater/queue_memory_cap", /expected <section>\/<key>=<value>/],
    ["view_updater/queue_memory_cap=100,100", /100 is given twice/],
    ["view_updater/queue_memory_cap=100kb", /queue_memory_cap=100kb: CouchDB reads a whole number here/],
    ["couchdb/js_engine=v8", /js_engine=v8: CouchDB reads spidermonkey or quickjs here/],
    ["couchdb/file_compression=deflate_10", /file_compression=deflate_10/],
    ["view_updater/gc_interval_docs=never", /a whole number or infinity/],
  ] as const) {
    assert.throws(
      () => parseConfigOption(text),
      (error: unknown) => error instanceof UsageError && expected.test(error.message) && !error.message.includes("\n"),
      text,
    );
  }
  assert.deepEqual(parseConfigOption("view_updater/gc_interval_docs=infinity,1000").values, ["infinity", "1000"]);
  // A key couchbench does not know takes any value: the server decides (and a typo is warned about at run time).
  assert.deepEqual(parseConfigOption("my_section/my_key=anything").values, ["anything"]);
});

test("several options multiply into combinations, the first option outermost", () => {
  const combinations = configCombinations([
    parseConfigOption("view_updater/queue_memory_cap=100000,10485760"),
    parseConfigOption("view_updater/min_writer_items=100,default"),
  ]);
  assert.deepEqual(combinations.map(combinationLabel), [
    "view_updater/queue_memory_cap=100000;view_updater/min_writer_items=100",
    "view_updater/queue_memory_cap=100000;view_updater/min_writer_items=default",
    "view_updater/queue_memory_cap=10485760;view_updater/min_writer_items=100",
    "view_updater/queue_memory_cap=10485760;view_updater/min_writer_items=default",
  ]);
  assert.equal(combinationShortLabel(combinations[1]!), "queue_memory_cap=100000 · min_writer_items=default");
  assert.throws(
    () =>
      configCombinations([
        parseConfigOption("view_updater/queue_memory_cap=1"),
        parseConfigOption("view_updater/queue_memory_cap=2"),
      ]),
    /the key is given twice/,
  );
});

test("--config-combos picks combinations out of the product, by key or by section/key", () => {
  const options = [
    parseConfigOption("view_updater/queue_memory_cap=100000,10485760"),
    parseConfigOption("view_updater/min_writer_items=100,500"),
  ];
  const combos = parseConfigCombos(
    "queue_memory_cap=100000;min_writer_items=100|view_updater/queue_memory_cap=10485760; min_writer_items=500",
    options,
  );
  assert.deepEqual(combos.map(combinationLabel), [
    "view_updater/queue_memory_cap=100000;view_updater/min_writer_items=100",
    "view_updater/queue_memory_cap=10485760;view_updater/min_writer_items=500",
  ]);
  assert.throws(() => parseConfigCombos("queue_memory_cap=1;min_writer_items=100", options), /not among the values/);
  assert.throws(
    () => parseConfigCombos("queue_memory_cap=100000", options),
    /sets no value for --config .*min_writer_items/,
  );
  assert.throws(
    () => parseConfigCombos("queue_item_cap=5;min_writer_items=100", options),
    /no --config option has the key/,
  );
  assert.throws(
    () =>
      parseConfigCombos(
        "queue_memory_cap=100000;min_writer_items=100|queue_memory_cap=100000;min_writer_items=100",
        options,
      ),
    /is given twice/,
  );
});

test("--config-combos alone states whole combinations, which must set the same keys", () => {
  const combos = parseConfigCombos(
    "couchdb/js_engine=quickjs;view_updater/queue_memory_cap=default|couchdb/js_engine=spidermonkey;view_updater/queue_memory_cap=100000",
    [],
  );
  assert.deepEqual(combos[0], [
    { section: "couchdb", key: "js_engine", value: "quickjs" },
    { section: "view_updater", key: "queue_memory_cap", value: null },
  ]);
  assert.throws(
    () => parseConfigCombos("couchdb/js_engine=quickjs|view_updater/queue_memory_cap=1", []),
    /must set the same keys/,
  );
  assert.throws(() => parseConfigCombos("couchdb/js_engine=quickjs,spidermonkey", []), /one value per key/);
  assert.throws(() => parseConfigCombos("|", []), /an empty combination/);
});

test("settings read only at start-up are split off, and written as an ini without the defaults", () => {
  assert.equal(scopeOf({ section: "quickjs", key: "memory_limit_bytes" }), "start");
  assert.equal(scopeOf({ section: "view_updater", key: "queue_memory_cap" }), "build");
  assert.equal(scopeOf({ section: "couchdb", key: "file_compression" }), "database");
  assert.equal(scopeOf({ section: "unknown", key: "key" }), "build");
  const combination = [
    { section: "quickjs", key: "memory_limit_bytes", value: "67108864" },
    { section: "couchdb", key: "os_process_timeout", value: null },
    { section: "view_updater", key: "queue_memory_cap", value: "100000" },
  ];
  const { start, live } = splitByScope(combination);
  assert.deepEqual(
    start.map((s) => s.key),
    ["memory_limit_bytes", "os_process_timeout"],
  );
  assert.deepEqual(
    live.map((s) => s.key),
    ["queue_memory_cap"],
  );
  assert.equal(renderSettingsIni(start), "[quickjs]\nmemory_limit_bytes = 67108864\n");
});

test("the known list names every setting the issue lists, each with where CouchDB reads it", () => {
  const names = KNOWN_SETTINGS.map((s) => `${s.section}/${s.key}`);
  for (const name of [
    "view_updater/queue_memory_cap",
    "view_updater/queue_item_cap",
    "view_updater/min_writer_items",
    "view_updater/min_writer_size",
    "view_updater/gc_interval_docs",
    "couchdb/js_engine",
    "couchdb/file_compression",
    "query_server_config/os_process_limit",
    "ken/batch_channels",
    "ken/incremental_channels",
    "ioq.bypass/view_update",
  ])
    assert.ok(names.includes(name), name);
  assert.equal(new Set(names).size, names.length);
  assert.ok(KNOWN_SETTINGS.every((s) => s.readBy.length > 0));
});
