// Unit tests of the page's pure modules (www/*.js without DOM), in Node:
//
//   node --test tests/e2e/page-units.test.mjs

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { chunkEnd, chunks } from "../../www/chunks.js";
import {
  countByLabel,
  groupEntities,
  isShown,
  normalizeSurface,
  scoreBucket,
  summarize,
} from "../../www/entities.js";
import { csvCell, escapeHtml, toCSV, toHTML, toJSON } from "../../www/export.js";
import { decodeView, encodeView, MAX_HASH_CHARS, TooLongError } from "../../www/share.js";
import {
  addPhrase,
  MAX_PHRASE_FILE_BYTES,
  mergePhrases,
  parsePhrasesJSON,
  phrasesToJSON,
  readPhrasesFile,
} from "../../www/userlists.js";
import { parseCSV } from "./page-helpers.mjs";

describe("chunks", () => {
  test("cover the text exactly, in order, at paragraph then sentence then word boundaries", () => {
    const para = "Ana Ribeiro met the board in Lisbon. ".repeat(40); // ~1,480 chars, no newline
    const text = `${para}\n\n${para}\n${para}😀 end`;
    const cs = chunks(text, 1000, 1000);
    assert.equal(cs[0][0], 0);
    assert.equal(cs.at(-1)[1], text.length);
    for (let i = 1; i < cs.length; i++) assert.equal(cs[i][0], cs[i - 1][1], "gap or overlap");
    // Every cut is after whitespace (sentence or paragraph ends here), never inside a word.
    for (const [, end] of cs.slice(0, -1)) assert.match(text[end - 1], /\s/, `cut at ${end}`);
    // A paragraph break in the window wins over sentence ends.
    const withBreak = `${"x. ".repeat(200)}\n\nNext paragraph. ${"y ".repeat(400)}`;
    assert.equal(chunkEnd(withBreak, 0, 800), withBreak.indexOf("Next"));
  });

  test("a text without any break is cut hard, never inside a surrogate pair, and nothing is lost", () => {
    const text = "😀".repeat(5000); // 10,000 code units, no whitespace
    const cs = chunks(text, 999, 999);
    assert.equal(cs.map(([s, e]) => text.slice(s, e)).join(""), text);
    for (const [, end] of cs) assert.ok(end === text.length || end % 2 === 0, `cut at ${end} splits a pair`);
    assert.deepEqual(chunks("", 10, 10), [[0, 0]]);
  });
});

describe("entities", () => {
  const E = (text, label = "PERSON", source = "model", score = 0.9) => ({ text, label, source, score });

  test("normalizeSurface folds case, whitespace, possessives, curly quotes and a leading 'the'", () => {
    assert.equal(normalizeSurface("  Sergei\n Lavrov’s "), "sergei lavrov");
    assert.equal(normalizeSurface("The  Fed's"), "fed");
    assert.equal(normalizeSurface("Reuters'"), "reuters");
    assert.equal(normalizeSurface("ＡＢＣ"), "abc"); // NFKC
  });

  test("a last name joins the one full name that ends with it; an ambiguous one stays apart", () => {
    const entities = [
      E("Sergei Lavrov"),
      E("Lavrov"),
      E("LAVROV's"),
      E("Bush"),
      E("George Bush"),
      E("Laura Bush"),
      E("Lavrov", "ORG"),
    ];
    const groups = groupEntities(entities);
    const people = groups.get("PERSON");
    const lavrov = people.find((g) => g.name === "Sergei Lavrov");
    assert.deepEqual(lavrov.mentions, [0, 1, 2]);
    assert.deepEqual(lavrov.variants.sort(), ["LAVROV's", "Lavrov", "Sergei Lavrov"]);
    assert.ok(people.some((g) => g.name === "Bush" && g.mentions.length === 1), "Bush was folded into one of two");
    assert.equal(people[0], lavrov, "most mentioned first");
    assert.deepEqual(groups.get("ORG").map((g) => g.mentions), [[6]], "other labels are grouped apart");
    // A filter leaves entities out of the list.
    assert.equal(groupEntities(entities, (e) => e.label === "ORG").has("PERSON"), false);
  });

  test("threshold and toggles: only model entities can fall under the threshold", () => {
    const view = { hidden: new Set(["DATE"]), threshold: scoreBucket(0.7) };
    assert.equal(isShown(E("a", "PERSON", "model", 0.69), view), false);
    assert.equal(isShown(E("a", "PERSON", "model", 0.7), view), true);
    assert.equal(isShown(E("a", "PERSON", "rule", 0.1), view), true);
    assert.equal(isShown(E("a", "PERSON", "user", 0.1), view), true);
    assert.equal(isShown(E("a", "DATE", "rule", 1), view), false);
    const counts = countByLabel([E("a", "PERSON", "model", 0.2), E("b"), E("c", "ORG", "rule", 0)], view.threshold);
    assert.deepEqual([...counts], [["PERSON", 1], ["ORG", 1]]);
  });

  test("summary reads the counts in legend order, without hidden labels", () => {
    const counts = new Map([["PERSON", 14], ["ORG", 6], ["DATE", 1]]);
    assert.equal(summarize(counts, ["PERSON", "ORG", "DATE"]), "14 people, 6 organizations and 1 date.");
    assert.equal(summarize(counts, ["PERSON", "ORG", "DATE"], new Set(["ORG", "DATE"])), "14 people.");
    assert.equal(summarize(new Map(), ["PERSON"]), "No entities found.");
  });
});

describe("exports", () => {
  const text = 'Mail =cmd|"/C calc"!A0, @SUM(1) or "Acme, Inc." <b>now</b>';
  const entity = (surface, score, source) => {
    const start = text.indexOf(surface);
    return { start, end: start + surface.length, label: "ORG", text: surface, score, source };
  };
  const entities = [entity('=cmd|"/C calc"!A0', 0.5, "model"), entity("@SUM(1)", 1, "rule"), entity('"Acme, Inc."', 1, "user")];

  test("JSON states the offset unit and carries the entities unchanged", () => {
    const out = JSON.parse(toJSON(text, entities));
    assert.equal(out.offsetUnit, "utf16");
    assert.equal(out.text, text);
    assert.deepEqual(out.entities, entities);
    for (const e of out.entities) assert.equal(out.text.slice(e.start, e.end), e.text);
  });

  test("CSV quotes per RFC 4180 and defuses formulas", () => {
    assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
    assert.equal(csvCell("=1+1"), "'=1+1");
    assert.equal(csvCell("-2"), "'-2");
    assert.equal(csvCell("+x"), "'+x");
    assert.equal(csvCell("@x"), "'@x");
    assert.equal(csvCell(12), "12", "numbers are numbers");
    assert.equal(csvCell("line\nbreak"), '"line\nbreak"');
    const csv = toCSV(entities);
    assert.ok(csv.endsWith("\r\n"));
    const rows = parseCSV(csv);
    assert.deepEqual(rows[0], ["start_utf16", "end_utf16", "label", "text", "score", "source"]);
    assert.deepEqual(
      rows.slice(1).map((r) => r[3]),
      [`'${entities[0].text}`, `'${entities[1].text}`, entities[2].text],
    );
    assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), entities.map((e) => e.start));
  });

  test("HTML escapes every piece of text and has no script", () => {
    const info = new Map([["ORG", { color: "#ee8866", description: 'Companies "and" <such>' }]]);
    const html = toHTML(`<script>alert(1)</script> ${text}`, [], info);
    assert.ok(!/<script/i.test(html) && html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    const shifted = entities.map((e) => ({ ...e, start: e.start + 1, end: e.end + 1 }));
    const marked = toHTML(` ${text}`, shifted, info);
    assert.equal((marked.match(/<mark /g) ?? []).length, 3);
    assert.ok(marked.includes("&lt;b&gt;now&lt;/b&gt;"));
    assert.ok(marked.includes('title="ORG — Companies &quot;and&quot; &lt;such&gt;'));
    assert.equal(escapeHtml(`<a href='x'>&`), "&lt;a href=&#39;x&#39;&gt;&amp;");
  });
});

describe("share links", () => {
  test("a view round-trips through the hash, and a damaged hash says so", async () => {
    const view = {
      text: "Ana 🎉 Ribeiro\r\nmet <b>BP</b> in Lisbon.",
      hidden: ["DATE", "ORG"],
      threshold: 14,
      phrases: [{ text: "Ribeiro", label: "ORG" }],
    };
    const hash = await encodeView(view);
    assert.match(hash, /^#v1=[A-Za-z0-9_-]+$/);
    assert.deepEqual(await decodeView(hash), view);
    await assert.rejects(decodeView(hash.slice(0, -6)), /damaged/);
    await assert.rejects(decodeView("#v1=!!!"), /damaged/);
  });

  test("a text too long for a link is refused with the limit in the message", async () => {
    // Random letters compress poorly: ~60 KB of them cannot fit in 32 KB.
    let seed = 1;
    const random = Array.from({ length: 60_000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return String.fromCharCode(97 + ((seed >>> 16) % 26));
    }).join("");
    await assert.rejects(encodeView({ text: random, hidden: [], threshold: 0 }), (err) => {
      assert.ok(err instanceof TooLongError);
      assert.match(err.message, /too long for a link.*at most 32 KB/);
      return true;
    });
    // A long but repetitive text still fits.
    const hash = await encodeView({ text: "Ana Ribeiro met BP. ".repeat(5000), hidden: [], threshold: 0 });
    assert.ok(hash.length <= MAX_HASH_CHARS);
  });
});

describe("your lists", () => {
  const labels = new Set(["PRODUCT", "ORG"]);

  test("adding trims, relabels a phrase already there, refuses blanks and long phrases", () => {
    let list = addPhrase([], { text: "  Widget   Pro ", label: "PRODUCT" });
    list = addPhrase(list, { text: "widget pro", label: "ORG" });
    assert.deepEqual(list, [{ text: "widget pro", label: "ORG" }]);
    assert.throws(() => addPhrase(list, { text: "   ", label: "ORG" }), /Type a word/);
    assert.throws(() => addPhrase(list, { text: "x".repeat(201), label: "ORG" }), /at most 200/);
  });

  test("import accepts the export format and a bare array, and names a bad entry", () => {
    const list = [{ text: "Widget Pro", label: "PRODUCT" }];
    assert.deepEqual(parsePhrasesJSON(phrasesToJSON(list), labels), list);
    assert.deepEqual(parsePhrasesJSON(JSON.stringify(list), labels), list);
    assert.throws(() => parsePhrasesJSON("{", labels), /not JSON/);
    assert.throws(() => parsePhrasesJSON('{"x": 1}', labels), /no list of phrases/);
    assert.throws(
      () => parsePhrasesJSON('[{"text": "a", "label": "ORG"}, {"text": "Gizmo", "label": "GADGET"}]', labels),
      /Entry 2 \("Gizmo"\) has an unknown label "GADGET"/,
    );
    assert.throws(() => parsePhrasesJSON("[1]", labels), /Entry 1 is not/);
  });

  test("a list at the limit imports and merges in linear time; one more phrase is refused", () => {
    const list = (n, prefix) => Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i}`, label: "ORG" }));
    let started = performance.now();
    const full = parsePhrasesJSON(phrasesToJSON(list(10_000, "a")), labels);
    const merged = mergePhrases(full, list(10_000, "A")); // the same phrases: relabel in place
    const ms = performance.now() - started;
    assert.equal(full.length, 10_000);
    assert.equal(merged.length, 10_000);
    // Linear: tens of ms. Checking each phrase against the whole list took ~10 s here.
    assert.ok(ms < 2000, `${Math.round(ms)} ms`);
    assert.throws(() => parsePhrasesJSON(JSON.stringify(list(10_001, "a")), labels), /Entry 10001: A list can hold at most 10,000/);
    assert.throws(() => mergePhrases(full, [{ text: "new", label: "ORG" }]), /at most 10,000/);
  });

  test("a phrase file over the limit is refused before it is read", async () => {
    const file = (size) => ({ name: "big.json", size, text: async () => phrasesToJSON([{ text: "Widget", label: "ORG" }]) });
    await assert.rejects(readPhrasesFile(file(MAX_PHRASE_FILE_BYTES + 1), labels), /big.json is 10.0 MB; a phrase list file can be at most 10 MB/);
    assert.deepEqual(await readPhrasesFile(file(MAX_PHRASE_FILE_BYTES), labels), [{ text: "Widget", label: "ORG" }]);
  });
});
