import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalKeyCount } from "./sandbox/canonical-json.js";
import { replyOf, session } from "./test-support/memory-port.js";

/** Document texts as CouchDB could send them, including every case the verbatim reuse must refuse. */
const texts = [
  '{"_id":"plain","type":"t","n":[1,2,{"x":null}],"s":"a \\"q\\" \\\\ \\n\\t\\r\\b\\f","u":"é 😀 \u2028"}',
  '{"_id":"float","type":"t","v":3.0,"w":1e21,"x":-0.0,"y":0.1}',
  '{"_id":"bigint","type":"t","v":123456789012345678901234567890,"w":9007199254740993}',
  '{"_id":"negzero","type":"t","v":-0}',
  '{"_id":"escapes","type":"t","v":"\\u00e9\\u0007\\/\\ud83d"}',
  '{"_id":"intkeys","type":"t","b":1,"2":2,"10":3}',
  '{"_id":"dupes","type":"t","a":1,"a":2}',
  '{ "_id" : "spaces", "type" : "t" }',
  '{"_id":"nested","type":"t","a":{"b":{"c":[[],{}]}},"toJSON":1}',
  '{"_id":"errorlike","type":"t","name":"n","message":"m","stack":"s"}',
];

describe("emit(key, doc) reuses the document text only when byte-identical", () => {
  it("gives exactly what JSON.stringify of the parsed document gives", () => {
    const s = session();
    s.send(["add_fun", "function (doc) { emit(doc.type, doc); emit(null, doc); }"]);
    for (const text of texts) {
      const doc = JSON.parse(text) as Record<string, unknown>;
      // emit() turns Error-like values (name, message, stack) into {error, message} (3.4+).
      const value =
        "stack" in doc && "name" in doc && "message" in doc ? { error: doc.name, message: doc.message } : doc;
      const expected = JSON.stringify([
        [
          [doc.type, value],
          [null, value],
        ],
      ]);
      // Sent verbatim, as CouchDB's line would carry it.
      assert.equal(s.send(`["map_doc",${text}]`).lines.at(-1), expected, text);
    }
  });

  it("canonicalKeyCount accepts compact canonical JSON and refuses the rest", () => {
    assert.equal(canonicalKeyCount('{"a":[1,-2,{"b":"x\\"y\\\\"}],"c":true}'), 3);
    // Duplicate keys pass the text check; the key count of the parsed document catches them.
    assert.equal(canonicalKeyCount('{"a":1,"a":2}'), 2);
    for (const bad of [
      '{"a":1.5}',
      '{"a":-0}',
      '{"1":1}',
      '{"a": 1}',
      '{"a":"\\u00e9"}',
      '{"a":"\\/"}',
      '{"a":12345678901234567}',
      '{"a":1e5}',
    ]) {
      assert.equal(canonicalKeyCount(bad), -1, bad);
    }
  });

  it("a user toJSON on Array.prototype is honoured (no reuse then)", () => {
    const s = session();
    s.send(["add_fun", "function (doc) { Array.prototype.toJSON = function () { return 'patched'; }; emit(1, doc); }"]);
    assert.deepEqual(replyOf(s.send('["map_doc",{"_id":"a"}]')), ["patched"]);
  });
});
