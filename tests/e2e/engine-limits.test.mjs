// The engine never panics, whatever the size of its input (issue 18), tested on the page's
// build (www/pkg, `bash scripts/build-wasm.sh`) in Node:
//
//   node --test tests/e2e/engine-limits.test.mjs
//   NERLIGHT_TEST_20MB=1 node --test tests/e2e/engine-limits.test.mjs   # every class at 20 MB
//
// 20 MB of one character used to trap the wasm module ("capacity overflow": the per-token
// feature table of one 20M-token text needed more than wasm32's 2 GB), after which the same
// Highlighter threw "recursive use of an object" on every call. A panic (a trap) is the one
// thing a call must never end in: each case here checks that the same instance still works.

import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { ROOT } from "./page-helpers.mjs";

const PKG = path.join(ROOT, "www", "pkg");
const MB = 1_000_000; // UTF-16 code units

/**
 * Where every character is a token of its own, the model tags it at 4–20 µs (NUL, `(`, `@`,
 * emoji, U+FFFD), so 20 MB takes minutes of CPU: 433 s for NUL on this 2-core machine shared by
 * five builds. Those run at 2 MB (8 pieces of 256 KiB) unless NERLIGHT_TEST_20MB=1; the classes
 * that tokenize into long runs run at 20 MB always, which checks the 20 MB string's way in and
 * out of wasm memory.
 */
const SLOW = process.env.NERLIGHT_TEST_20MB === "1" ? 20 * MB : 2 * MB;

/** One character of each class the tokenizer and rules treat differently, and how much of it. */
const CLASSES = [
  ["NUL", "\0", SLOW],
  ["open parenthesis", "(", SLOW],
  ["at sign", "@", SLOW],
  ["capital", "A", SLOW],
  ["emoji", "😀", SLOW], // two code units each
  ["lone surrogate", "\ud800", SLOW],
  ["letter", "a", 20 * MB],
  ["digit", "7", 20 * MB],
  ["space", " ", 20 * MB],
  ["line break", "\n", 20 * MB],
  ["period", ".", 20 * MB],
  ["hyphen", "-", 20 * MB],
  ["non-ASCII letter", "é", 20 * MB],
  ["CJK ideograph", "中", 20 * MB],
];

describe("the engine on huge inputs", () => {
  let Highlighter;
  let highlighter;

  before(async () => {
    const glue = await import(path.join(PKG, "nerlight.js"));
    await glue.default({ module_or_path: readFileSync(path.join(PKG, "nerlight_bg.wasm")) });
    Highlighter = glue.Highlighter;
    highlighter = new Highlighter();
  });

  /** The same instance still answers, and correctly. */
  function stillWorks() {
    const found = highlighter.highlight("Mail ana@example.com on 12 March 2021.");
    assert.ok(found.some((e) => e.label === "EMAIL" && e.text === "ana@example.com"), JSON.stringify(found));
  }

  for (const [name, c, size] of CLASSES) {
    test(`${size / MB} MB of ${name}`, () => {
      const text = c.repeat(size / c.length);
      const found = highlighter.highlight(text);
      let last = 0;
      for (const e of found) {
        assert.ok(last <= e.start && e.start < e.end && e.end <= text.length, JSON.stringify(e));
        last = e.end;
      }
      if (found.length) assert.equal(found[0].text, text.slice(found[0].start, found[0].end));
      stillWorks();
    });
  }

  test("a text over the limit is an Error, and the instance stays usable", () => {
    const text = "a".repeat(2 ** 26 + 1);
    assert.throws(() => highlighter.highlight(text), /too long to highlight at once \(at most 67108864\)/);
    stillWorks();
  });

  test("too many or too long user phrases are an Error, and the previous list stays", () => {
    const h = new Highlighter();
    h.setUserPhrases([{ text: "Widget Pro", label: "PRODUCT" }]);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ text: `p${i}`, label: "ORG" }));
    assert.throws(() => h.setUserPhrases(many), /too many phrases: 10001 \(at most 10000\)/);
    const long = [{ text: Array(33).fill("w").join(" "), label: "ORG" }];
    assert.throws(() => h.setUserPhrases(long), /33 words is too long \(at most 32\)/);
    const found = h.highlight("The Widget Pro ships.");
    assert.deepEqual(found.map((e) => [e.text, e.source]), [["Widget Pro", "user"]]);
    h.free();
  });
});
